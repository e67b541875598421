namespace Zarr.Actors.Tests.Core;

/// <summary>The contract's "Byte ranges": construction checks, and clamping to the value's length.</summary>
public sealed class ByteRequestTests
{
    // ---- construction --------------------------------------------------------------------------

    public static TheoryData<string, Func<ByteRequest>> InvalidRequests() => new()
    {
        { "Start", () => new RangeByteRequest(-1, 3) },
        { "Start", () => new RangeByteRequest(long.MinValue, 0) },
        { "End", () => new RangeByteRequest(0, -1) },
        { "End", () => new RangeByteRequest(0, long.MinValue) },
        { "End", () => new RangeByteRequest(5, 4) },
        { "End", () => new RangeByteRequest(1, 0) },
        { "End", () => new RangeByteRequest(long.MaxValue, long.MaxValue - 1) },
        { "Offset", () => new OffsetByteRequest(-1) },
        { "Offset", () => new OffsetByteRequest(long.MinValue) },
        { "Suffix", () => new SuffixByteRequest(-1) },
        { "Suffix", () => new SuffixByteRequest(long.MinValue) },
    };

    [Theory(DisplayName = "Negative numbers and End < Start throw ArgumentOutOfRangeException naming the bound")]
    [MemberData(nameof(InvalidRequests))]
    public void InvalidRequestsThrow(string parameter, Func<ByteRequest> create)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact(DisplayName = "Zero, equal bounds and the largest numbers are valid, and are kept as given")]
    public void ValidExtremes()
    {
        var empty = new RangeByteRequest(0, 0);
        Assert.Equal((0L, 0L), (empty.Start, empty.End));
        var equal = new RangeByteRequest(7, 7);
        Assert.Equal((7L, 7L), (equal.Start, equal.End));
        var huge = new RangeByteRequest(long.MaxValue, long.MaxValue);
        Assert.Equal((long.MaxValue, long.MaxValue), (huge.Start, huge.End));
        Assert.Equal(0, new OffsetByteRequest(0).Offset);
        Assert.Equal(long.MaxValue, new OffsetByteRequest(long.MaxValue).Offset);
        Assert.Equal(0, new SuffixByteRequest(0).Suffix);
        Assert.Equal(long.MaxValue, new SuffixByteRequest(long.MaxValue).Suffix);
    }

    [Fact(DisplayName = "Requests are records: equal by kind and value, and a range deconstructs into its bounds")]
    public void RecordsAreValues()
    {
        Assert.Equal(new RangeByteRequest(1, 4), new RangeByteRequest(1, 4));
        Assert.NotEqual(new RangeByteRequest(1, 4), new RangeByteRequest(1, 5));
        Assert.Equal(new OffsetByteRequest(3), new OffsetByteRequest(3));
        Assert.NotEqual<ByteRequest>(new OffsetByteRequest(3), new SuffixByteRequest(3));
        Assert.Equal(new RangeByteRequest(1, 4).GetHashCode(), new RangeByteRequest(1, 4).GetHashCode());

        var (start, end) = new RangeByteRequest(2, 9);
        Assert.Equal((2L, 9L), (start, end));
    }

    // ---- resolution against lengths 0, 1 and 10 --------------------------------------------------

    private const string Digits = "0123456789";

    /// <summary>(request, value length, the bytes of the first <c>length</c> digits it selects).</summary>
    public static TheoryData<ByteRequest, int, string> Resolutions()
    {
        var rows = new (ByteRequest Request, string At0, string At1, string At10)[]
        {
            (new RangeByteRequest(0, 0), "", "", ""),
            (new RangeByteRequest(0, 1), "", "0", "0"),
            (new RangeByteRequest(0, 10), "", "0", "0123456789"),
            (new RangeByteRequest(0, 11), "", "0", "0123456789"),
            (new RangeByteRequest(1, 1), "", "", ""),
            (new RangeByteRequest(1, 2), "", "", "1"),
            (new RangeByteRequest(2, 5), "", "", "234"),
            (new RangeByteRequest(3, 3), "", "", ""),
            (new RangeByteRequest(9, 10), "", "", "9"),
            (new RangeByteRequest(9, 20), "", "", "9"),
            (new RangeByteRequest(10, 10), "", "", ""),
            (new RangeByteRequest(10, 12), "", "", ""),
            (new RangeByteRequest(50, 60), "", "", ""),
            (new RangeByteRequest(0, long.MaxValue), "", "0", "0123456789"),
            (new RangeByteRequest(long.MaxValue, long.MaxValue), "", "", ""),
            (new RangeByteRequest(int.MaxValue, (long)int.MaxValue + 5), "", "", ""),
            (new OffsetByteRequest(0), "", "0", "0123456789"),
            (new OffsetByteRequest(1), "", "", "123456789"),
            (new OffsetByteRequest(7), "", "", "789"),
            (new OffsetByteRequest(9), "", "", "9"),
            (new OffsetByteRequest(10), "", "", ""),
            (new OffsetByteRequest(11), "", "", ""),
            (new OffsetByteRequest(long.MaxValue), "", "", ""),
            (new SuffixByteRequest(0), "", "", ""),
            (new SuffixByteRequest(1), "", "0", "9"),
            (new SuffixByteRequest(3), "", "0", "789"),
            (new SuffixByteRequest(9), "", "0", "123456789"),
            (new SuffixByteRequest(10), "", "0", "0123456789"),
            (new SuffixByteRequest(11), "", "0", "0123456789"),
            (new SuffixByteRequest(long.MaxValue), "", "0", "0123456789"),
        };

        var data = new TheoryData<ByteRequest, int, string>();
        foreach (var (request, at0, at1, at10) in rows)
        {
            data.Add(request, 0, at0);
            data.Add(request, 1, at1);
            data.Add(request, 10, at10);
        }

        return data;
    }

    [Theory(DisplayName = "Resolve clamps to [0, n]: empty and past-the-end give empty, a long suffix gives all")]
    [MemberData(nameof(Resolutions))]
    public void ResolveClamps(ByteRequest request, int length, string expected)
    {
        var (start, count) = request.Resolve(length);
        Assert.InRange(start, 0, length);
        Assert.InRange(count, 0, length - start);
        Assert.Equal(expected, Digits[..length].Substring(start, count));

        // And MemoryStore's slicing, which every store shares, selects the same bytes.
        var value = Zarr.Buffers.ByteBuffer.FromBytes(System.Text.Encoding.ASCII.GetBytes(Digits[..length]));
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(MemoryStore.Slice(value, request).Span));
    }

    [Fact(DisplayName = "No range selects the whole value")]
    public void NoRangeIsTheWholeValue()
    {
        var value = Zarr.Buffers.ByteBuffer.FromBytes("abc"u8);
        Assert.Same(value, MemoryStore.Slice(value, null));
    }
}
