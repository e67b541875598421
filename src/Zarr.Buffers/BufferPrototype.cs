using Zarr.Buffers.Testing;

namespace Zarr.Buffers;

/// <summary>
/// Which <see cref="ByteBuffer"/> and <see cref="NDBuffer"/> types a caller wants back from a store
/// or a codec. <see cref="Convert"/> re-labels bytes as <see cref="BufferType"/> without copying them.
/// </summary>
public sealed class BufferPrototype
{
    private readonly Func<ReadOnlyMemory<byte>, ByteBuffer> _wrap;

    /// <summary>
    /// A prototype for the buffer type <typeparamref name="TBuffer"/>, built by <paramref name="wrap"/>
    /// (which must not copy), and the n-d buffer type <paramref name="ndBufferType"/>.
    /// </summary>
    public static BufferPrototype Create<TBuffer>(Func<ReadOnlyMemory<byte>, TBuffer> wrap, Type ndBufferType)
        where TBuffer : ByteBuffer
    {
        ArgumentNullException.ThrowIfNull(wrap);
        ArgumentNullException.ThrowIfNull(ndBufferType);
        if (!typeof(NDBuffer).IsAssignableFrom(ndBufferType))
        {
            throw new ArgumentException($"{ndBufferType} is not an {nameof(NDBuffer)} type", nameof(ndBufferType));
        }

        return new BufferPrototype(typeof(TBuffer), ndBufferType, wrap);
    }

    private BufferPrototype(Type bufferType, Type ndBufferType, Func<ReadOnlyMemory<byte>, ByteBuffer> wrap)
    {
        BufferType = bufferType;
        NDBufferType = ndBufferType;
        _wrap = wrap;
    }

    /// <summary>The plain CPU pair: <see cref="ByteBuffer"/> and <see cref="NDBuffer"/>.</summary>
    public static BufferPrototype Default { get; } = Create(ByteBuffer.FromMemory, typeof(NDBuffer));

    /// <summary>The <see cref="ByteBuffer"/> type values are returned as.</summary>
    public Type BufferType { get; }

    /// <summary>The <see cref="NDBuffer"/> type arrays are decoded into.</summary>
    public Type NDBufferType { get; }

    /// <summary>The same bytes as an instance of exactly <see cref="BufferType"/>, without copying.</summary>
    public ByteBuffer Convert(ByteBuffer value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.GetType() == BufferType ? value : _wrap(value.Memory);
    }

    public override string ToString() => $"BufferPrototype({BufferType.Name}, {NDBufferType.Name})";
}
