namespace Zarr.Buffers.Testing;

/// <summary>The prototype of <see cref="TestBuffer"/> and <see cref="NDBufferUsingTestNDArrayLike"/>.</summary>
public static class TestBufferPrototype
{
    /// <summary>Asks for values as <see cref="TestBuffer"/> and arrays as <see cref="NDBufferUsingTestNDArrayLike"/>.</summary>
    public static BufferPrototype Instance { get; } =
        BufferPrototype.Create(TestBuffer.FromMemory, typeof(NDBufferUsingTestNDArrayLike));
}
