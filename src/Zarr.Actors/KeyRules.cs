using System.Text;

namespace Zarr.Actors;

/// <summary>
/// The rules every key and prefix obeys (see the store contract, "Keys"), and the path arithmetic
/// the stores share. A prefix is returned normalized: no trailing <c>/</c>, <c>""</c> for the root.
/// </summary>
public static class KeyRules
{
    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The longest segment, in UTF-8 bytes (a file name's limit).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>Throws <see cref="InvalidKeyException"/> unless <paramref name="key"/> is a valid key.</summary>
    public static void ValidateKey(string key, string operation)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw Invalid(operation, key, "a key must not be empty");
        }

        var problem = FindProblem(key);
        if (problem is not null)
        {
            throw Invalid(operation, key, problem);
        }
    }

    /// <summary>
    /// Validates <paramref name="prefix"/> (which may be <c>""</c> or end with one <c>/</c>) and returns it
    /// without the trailing slash.
    /// </summary>
    public static string NormalizePrefix(string prefix, string operation)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return prefix;
        }

        if (prefix == "/")
        {
            throw Invalid(operation, prefix, "\"/\" is not a prefix; use \"\" for the root");
        }

        var trimmed = prefix[^1] == '/' ? prefix[..^1] : prefix;
        var problem = FindProblem(trimmed);
        if (problem is not null)
        {
            throw Invalid(operation, prefix, problem);
        }

        return trimmed;
    }

    /// <summary>The prefix that owns <paramref name="key"/>: its parent path, <c>""</c> for a top-level key.</summary>
    public static string ParentOf(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0 ? string.Empty : key[..slash];
    }

    /// <summary>The last segment of <paramref name="key"/>.</summary>
    public static string NameOf(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0 ? key : key[(slash + 1)..];
    }

    /// <summary><paramref name="name"/> under <paramref name="prefix"/> (a normalized prefix).</summary>
    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "/" + name;

    /// <summary>The string every key under the normalized <paramref name="prefix"/> starts with.</summary>
    public static string DirectoryOf(string prefix) => prefix.Length == 0 ? string.Empty : prefix + "/";

    /// <summary>A key as it is shown in messages: quoted, control characters escaped, long keys cut.</summary>
    public static string Quote(string key)
    {
        const int shown = 120;
        var builder = new StringBuilder(Math.Min(key.Length, shown) + 16).Append('"');
        foreach (var c in key.Length > shown ? key[..shown] : key)
        {
            if (char.IsControl(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
        if (key.Length > shown)
        {
            builder.Append($"... ({key.Length} characters)");
        }

        return builder.ToString();
    }

    private static InvalidKeyException Invalid(string operation, string key, string rule) => StoreErrors.InvalidKey(operation, key, rule);

    private static string? FindProblem(string key)
    {
        if (key[0] == '/')
        {
            return "a key must not start with '/'";
        }

        if (key[^1] == '/')
        {
            return "a key must not end with '/'";
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return "a key must be valid Unicode (it contains a lone surrogate)";
        }

        if (byteCount > MaxKeyBytes)
        {
            return $"a key is at most {MaxKeyBytes} bytes of UTF-8, this one is {byteCount}";
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return $"a key must not contain control characters (found U+{(int)c:X4})";
            }
        }

        var segments = key.AsSpan();
        while (true)
        {
            var slash = segments.IndexOf('/');
            var segment = slash < 0 ? segments : segments[..slash];
            if (segment.IsEmpty)
            {
                return "a key must not contain an empty segment (\"//\")";
            }

            if (segment is "." or "..")
            {
                return $"a key must not contain a \"{segment}\" segment";
            }

            var segmentBytes = Encoding.UTF8.GetByteCount(segment);
            if (segmentBytes > MaxSegmentBytes)
            {
                return $"a segment is at most {MaxSegmentBytes} bytes of UTF-8, one here is {segmentBytes}";
            }

            if (slash < 0)
            {
                return null;
            }

            segments = segments[(slash + 1)..];
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
