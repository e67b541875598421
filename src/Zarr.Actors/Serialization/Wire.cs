using System.Buffers.Binary;
using System.Text;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>Writes little-endian fields into <see cref="Target"/>, or only counts them when it is null.</summary>
internal sealed class WireWriter(byte[]? target)
{
    public byte[]? Target { get; } = target;

    public int Position { get; private set; }

    public void Byte(byte value)
    {
        if (Put(1) is { IsEmpty: false } span)
        {
            span[0] = value;
        }
    }

    public void Int(int value) => BinaryPrimitives.TryWriteInt32LittleEndian(Put(4), value);

    public void Long(long value) => BinaryPrimitives.TryWriteInt64LittleEndian(Put(8), value);

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int(length);
        if (Put(length) is { IsEmpty: false } span)
        {
            Encoding.UTF8.GetBytes(value, span);
        }
    }

    public void Bytes(ByteBuffer value) => Bytes(value.Span);

    /// <summary>A length, then the bytes.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int(value.Length);
        if (Put(value.Length) is { IsEmpty: false } span)
        {
            value.CopyTo(span);
        }
    }

    /// <summary>The next <paramref name="length"/> bytes of the target; empty while only counting.</summary>
    private Span<byte> Put(int length)
    {
        var span = Target is null ? Span<byte>.Empty : Target.AsSpan(Position, length);
        Position = checked(Position + length);
        return span;
    }
}

/// <summary>Reads back what <see cref="WireWriter"/> wrote; byte fields become buffers over the array, uncopied, unless small beside it.</summary>
internal sealed class WireReader(byte[] bytes)
{
    private int _at;

    public byte Byte() => bytes[_at++];

    public int Int()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(_at, 4));
        _at += 4;
        return value;
    }

    public long Long()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(_at, 8));
        _at += 8;
        return value;
    }

    public string String()
    {
        var length = Int();
        var value = Encoding.UTF8.GetString(bytes, _at, length);
        _at += length;
        return value;
    }

    /// <summary>
    /// A byte field as a buffer: over the received array (no second copy) when the rest of the array is
    /// no larger than the field or than <see cref="WireLimits.SharedSlack"/>, as for a value in its own message;
    /// else a copy of its own. A buffer keeps its whole array alive, and a value may be stored by an owner
    /// or kept by a caller for as long as they like: a small value from a large batch must not pin the batch.
    /// </summary>
    public ByteBuffer Bytes()
    {
        var field = Slice();
        var rest = bytes.Length - field.Length;
        return rest <= Math.Max(field.Length, WireLimits.SharedSlack) ? ByteBuffer.FromMemory(field) : ByteBuffer.FromBytes(field.Span);
    }

    /// <summary>
    /// A byte field that may be absent (written as the length -1 alone), always over the received array: for
    /// bytes that live no longer than the message is handled (a shard merge copies its inner chunks into the
    /// new shard), so they never pin the array and need no copy of their own.
    /// </summary>
    public ByteBuffer? TransientBytes()
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(_at, 4)) < 0)
        {
            _at += 4;
            return null;
        }

        return ByteBuffer.FromMemory(Slice());
    }

    /// <summary>A byte field as an array of its own (for APIs that take only arrays).</summary>
    public byte[] ByteArray() => Slice().ToArray();

    private ReadOnlyMemory<byte> Slice()
    {
        var length = Int();
        var value = bytes.AsMemory(_at, length);
        _at += length;
        return value;
    }
}
