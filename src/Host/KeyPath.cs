using System.Text;

namespace Zarr.Actors.Host;

/// <summary>
/// A request path as a key: percent-escapes decoded once, to bytes, and the bytes read as strict UTF-8.
/// A path whose bytes are not UTF-8 (<c>%FF</c>, a cut sequence, an overlong form, a surrogate) names no
/// key, so two different paths never name one key (<c>/a%FF</c> is refused; <c>/a%25FF</c> is the key <c>a%FF</c>).
/// </summary>
public static class KeyPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The decoded <paramref name="path"/>; false, with <paramref name="problem"/> saying why, when its bytes
    /// are not UTF-8. A <c>%</c> not followed by two hex digits stays as it is.
    /// </summary>
    public static bool TryDecode(string path, out string decoded, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        decoded = path;
        problem = null;
        if (!path.Contains('%'))
        {
            return true;
        }

        var bytes = new List<byte>(path.Length);
        Span<byte> scratch = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(path.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            // Anything else is taken as written (Kestrel hands the target over as ASCII).
            if (!Rune.TryGetRuneAt(path, i, out var rune))
            {
                problem = $"it holds a lone surrogate (U+{(int)path[i]:X4})";
                return false;
            }

            var written = rune.EncodeToUtf8(scratch);
            bytes.AddRange(scratch[..written]);
            i += rune.Utf16SequenceLength - 1;
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException e)
        {
            problem = $"its percent-escapes are not valid UTF-8 (bytes {Convert.ToHexString(e.BytesUnknown ?? [])} at byte {e.Index})";
            return false;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
