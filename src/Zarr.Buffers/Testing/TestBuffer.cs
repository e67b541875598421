namespace Zarr.Buffers.Testing;

/// <summary>
/// A <see cref="ByteBuffer"/> subtype that marks "the caller's own buffer type", so tests can prove a
/// pipeline hands the caller's type all the way down to the store and back.
/// </summary>
public sealed class TestBuffer : ByteBuffer
{
    private TestBuffer(ReadOnlyMemory<byte> memory) : base(memory)
    {
    }

    /// <summary>A <see cref="TestBuffer"/> holding a copy of <paramref name="bytes"/>.</summary>
    public static new TestBuffer FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>A <see cref="TestBuffer"/> over <paramref name="memory"/> without copying it.</summary>
    public static new TestBuffer FromMemory(ReadOnlyMemory<byte> memory) => new(memory);

    protected override ByteBuffer WithMemory(ReadOnlyMemory<byte> memory) => new TestBuffer(memory);
}
