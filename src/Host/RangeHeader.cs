using System.Globalization;
using System.Text.RegularExpressions;

namespace Zarr.Actors.Host;

/// <summary>
/// The one <c>bytes=</c> range of an HTTP <c>Range</c> header as a <see cref="ByteRequest"/>: the store's
/// own clamping then applies, and only "starts at or past the end" is HTTP's own (416).
/// </summary>
public static partial class RangeHeader
{
    /// <summary>
    /// The request of <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>; null when <paramref name="header"/>
    /// is empty or not one valid range (then the whole value is served).
    /// </summary>
    public static ByteRequest? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || RangePattern().Match(header) is not { Success: true } match)
        {
            return null;
        }

        var first = match.Groups[1].Value;
        var last = match.Groups[2].Value;
        if (first.Length == 0)
        {
            return last.Length > 0 && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)
                ? new SuffixByteRequest(suffix)
                : null;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        if (last.Length == 0)
        {
            return new OffsetByteRequest(start);
        }

        // The header's last byte is inclusive, the request's end is not.
        return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end >= start
            ? new RangeByteRequest(start, end == long.MaxValue ? end : end + 1)
            : null;
    }

    /// <summary>
    /// False when <paramref name="request"/> selects nothing of a value of <paramref name="length"/> bytes in
    /// HTTP's terms (RFC 9110): a first byte at or past the end, a zero-length suffix, any suffix of an empty value.
    /// </summary>
    public static bool IsSatisfiable(ByteRequest request, int length) => request switch
    {
        SuffixByteRequest suffix => suffix.Suffix > 0 && length > 0,
        OffsetByteRequest offset => offset.Offset < length,
        RangeByteRequest range => range.Start < length,
        _ => true,
    };

    [GeneratedRegex(@"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
