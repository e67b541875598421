namespace Zarr.Buffers.Testing;

/// <summary>The prototype of <see cref="TestBuffer"/> and <see cref="NDBufferUsingTestNDArrayLike"/>.</summary>
public static class TestBufferPrototype
{
    /// <summary>Asks for values as <see cref="TestBuffer"/> and arrays as <see cref="NDBufferUsingTestNDArrayLike"/>.</summary>
    public static BufferPrototype Instance { get; } =
        BufferPrototype.Create<TestBuffer, NDBufferUsingTestNDArrayLike>(TestBuffer.FromMemory,
            (shape, type, order, fill) => NDBufferUsingTestNDArrayLike.Create(shape, type, order, fill));
}
