namespace Zarr.Actors;

/// <summary>
/// A part of a value to read. Applied to a value of length n, bounds are clamped to [0, n]; an empty or
/// past-the-end range gives an empty buffer, never an error.
/// </summary>
public abstract record ByteRequest
{
    private protected ByteRequest()
    {
    }

    /// <summary>The slice this request selects from a value of <paramref name="length"/> bytes.</summary>
    public abstract (int Start, int Length) Resolve(int length);

    /// <summary>The part of <paramref name="value"/> that <paramref name="range"/> selects (no copy; all of it when null).</summary>
    public static Zarr.Buffers.ByteBuffer Slice(Zarr.Buffers.ByteBuffer value, ByteRequest? range)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (range is null)
        {
            return value;
        }

        var (start, length) = range.Resolve(value.Length);
        return value.Slice(start, length);
    }

    private protected static long NotNegative(long value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative");
}

/// <summary>Bytes from <see cref="Start"/> up to, not including, <see cref="End"/>.</summary>
public sealed record RangeByteRequest : ByteRequest
{
    public RangeByteRequest(long Start, long End)
    {
        this.Start = NotNegative(Start, nameof(Start));
        this.End = NotNegative(End, nameof(End));
        if (End < Start)
        {
            throw new ArgumentOutOfRangeException(nameof(End), End, $"End ({End}) must not be less than Start ({Start})");
        }
    }

    public long Start { get; }

    public long End { get; }

    public override (int Start, int Length) Resolve(int length)
    {
        var start = (int)Math.Min(Start, length);
        var end = (int)Math.Min(End, length);
        return (start, end - start);
    }

    public void Deconstruct(out long start, out long end) => (start, end) = (Start, End);
}

/// <summary>Bytes from <see cref="Offset"/> to the end.</summary>
public sealed record OffsetByteRequest : ByteRequest
{
    public OffsetByteRequest(long Offset) => this.Offset = NotNegative(Offset, nameof(Offset));

    public long Offset { get; }

    public override (int Start, int Length) Resolve(int length)
    {
        var start = (int)Math.Min(Offset, length);
        return (start, length - start);
    }
}

/// <summary>The last <see cref="Suffix"/> bytes (the whole value when it is shorter).</summary>
public sealed record SuffixByteRequest : ByteRequest
{
    public SuffixByteRequest(long Suffix) => this.Suffix = NotNegative(Suffix, nameof(Suffix));

    public long Suffix { get; }

    public override (int Start, int Length) Resolve(int length)
    {
        var taken = (int)Math.Min(Suffix, length);
        return (length - taken, taken);
    }
}
