namespace Zarr.Buffers;

/// <summary>
/// An immutable, contiguous run of bytes: Zarr's one-dimensional <c>Buffer</c>.
/// Two buffers are equal when their bytes are equal, whatever their runtime types, so a
/// <see cref="Testing.TestBuffer"/> equals a plain <see cref="ByteBuffer"/> holding the same bytes.
/// </summary>
/// <remarks>
/// Subtypes mark "whose buffer type this is" (see <see cref="BufferPrototype"/>); they keep their
/// type through slicing and combining by overriding <see cref="WithMemory"/>.
/// </remarks>
public class ByteBuffer : IEquatable<ByteBuffer>
{
    private readonly ReadOnlyMemory<byte> _memory;

    /// <summary>Wraps <paramref name="memory"/> without copying; the caller hands it over.</summary>
    protected ByteBuffer(ReadOnlyMemory<byte> memory) => _memory = memory;

    /// <summary>The zero-length buffer.</summary>
    public static ByteBuffer Empty { get; } = new(ReadOnlyMemory<byte>.Empty);

    /// <summary>A buffer holding a copy of <paramref name="bytes"/>.</summary>
    public static ByteBuffer FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? Empty : new ByteBuffer(bytes.ToArray());

    /// <summary>
    /// A buffer over <paramref name="memory"/> without copying it. The caller hands the memory over
    /// and must not change it afterwards.
    /// </summary>
    public static ByteBuffer FromMemory(ReadOnlyMemory<byte> memory) => new(memory);

    /// <summary>The number of bytes.</summary>
    public int Length => _memory.Length;

    /// <summary>A read-only view of the bytes (no copy).</summary>
    public ReadOnlyMemory<byte> Memory => _memory;

    /// <summary>A read-only view of the bytes (no copy).</summary>
    public ReadOnlySpan<byte> Span => _memory.Span;

    /// <summary>A fresh copy of the bytes.</summary>
    public byte[] ToArray() => _memory.ToArray();

    /// <summary>The bytes in <paramref name="range"/>, as a buffer of the same type (no copy).</summary>
    public ByteBuffer this[Range range]
    {
        get
        {
            var (offset, length) = range.GetOffsetAndLength(Length);
            return Slice(offset, length);
        }
    }

    /// <summary>The bytes from <paramref name="start"/> to the end, as a buffer of the same type (no copy).</summary>
    public ByteBuffer Slice(int start) => Slice(start, Length - start);

    /// <summary><paramref name="length"/> bytes from <paramref name="start"/>, as a buffer of the same type (no copy).</summary>
    public ByteBuffer Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"slice [{start}, {(long)start + length}) lies outside a buffer of {Length} bytes");
        }

        return start == 0 && length == Length ? this : WithMemory(_memory.Slice(start, length));
    }

    /// <summary>This buffer followed by <paramref name="others"/>, as one new buffer of this buffer's type.</summary>
    public ByteBuffer Combine(IEnumerable<ByteBuffer> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var parts = others as IReadOnlyCollection<ByteBuffer> ?? others.ToList();
        long total = Length;
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(others));
            total += part.Length;
        }

        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"combined length {total} exceeds the largest buffer ({Array.MaxLength} bytes)", nameof(others));
        }

        var combined = GC.AllocateUninitializedArray<byte>((int)total);
        Span.CopyTo(combined);
        var at = Length;
        foreach (var part in parts)
        {
            part.Span.CopyTo(combined.AsSpan(at));
            at += part.Length;
        }

        return WithMemory(combined);
    }

    /// <summary><paramref name="left"/> followed by <paramref name="right"/>, of <paramref name="left"/>'s type.</summary>
    public static ByteBuffer operator +(ByteBuffer left, ByteBuffer right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.Combine([right]);
    }

    /// <summary>A buffer of this buffer's runtime type over <paramref name="memory"/> (no copy).</summary>
    protected virtual ByteBuffer WithMemory(ReadOnlyMemory<byte> memory) => new ByteBuffer(memory);

    /// <summary>True when <paramref name="other"/> holds the same bytes.</summary>
    public bool Equals(ByteBuffer? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return _memory.Span.SequenceEqual(other._memory.Span);
    }

    public override bool Equals(object? obj) => obj is ByteBuffer other && Equals(other);

    public override int GetHashCode()
    {
        // Hash the length and at most the first and last 32 bytes: equal buffers hash alike, and
        // hashing a 1 GiB value does not read all of it.
        var span = _memory.Span;
        var hash = new HashCode();
        hash.Add(span.Length);
        hash.AddBytes(span[..Math.Min(32, span.Length)]);
        if (span.Length > 32)
        {
            hash.AddBytes(span[Math.Max(32, span.Length - 32)..]);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(ByteBuffer? left, ByteBuffer? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ByteBuffer? left, ByteBuffer? right) => !(left == right);

    public override string ToString()
    {
        const int shown = 16;
        var head = Convert.ToHexString(_memory.Span[..Math.Min(shown, Length)]).ToLowerInvariant();
        return $"<{GetType().Name} length={Length} {head}{(Length > shown ? "..." : string.Empty)}>";
    }
}
