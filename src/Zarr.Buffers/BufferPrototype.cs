using Zarr.Buffers.Testing;

namespace Zarr.Buffers;

/// <summary>
/// Which <see cref="ByteBuffer"/> and <see cref="NDBuffer"/> types a caller wants back from a store
/// or a codec. <see cref="Convert"/> re-labels bytes as <see cref="BufferType"/> without copying them.
/// </summary>
public sealed class BufferPrototype
{
    private readonly Func<ReadOnlyMemory<byte>, ByteBuffer> _wrap;
    private readonly CreateNDBufferFunc _createNDBuffer;

    /// <summary>Makes an n-d buffer of the prototype's type: zeros, or the fill value.</summary>
    public delegate NDBuffer CreateNDBufferFunc(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order, object? fillValue);

    /// <summary>
    /// A prototype for the buffer type <typeparamref name="TBuffer"/>, built by <paramref name="wrap"/>
    /// (which must not copy), and the n-d buffer type <typeparamref name="TNDBuffer"/>, built by <paramref name="createNDBuffer"/>.
    /// </summary>
    public static BufferPrototype Create<TBuffer, TNDBuffer>(Func<ReadOnlyMemory<byte>, TBuffer> wrap, CreateNDBufferFunc createNDBuffer)
        where TBuffer : ByteBuffer
        where TNDBuffer : NDBuffer
    {
        ArgumentNullException.ThrowIfNull(wrap);
        ArgumentNullException.ThrowIfNull(createNDBuffer);
        return new BufferPrototype(typeof(TBuffer), typeof(TNDBuffer), wrap, createNDBuffer);
    }

    private BufferPrototype(Type bufferType, Type ndBufferType, Func<ReadOnlyMemory<byte>, ByteBuffer> wrap, CreateNDBufferFunc createNDBuffer)
    {
        BufferType = bufferType;
        NDBufferType = ndBufferType;
        _wrap = wrap;
        _createNDBuffer = createNDBuffer;
    }

    /// <summary>The plain CPU pair: <see cref="ByteBuffer"/> and <see cref="NDBuffer"/>.</summary>
    public static BufferPrototype Default { get; } =
        Create<ByteBuffer, NDBuffer>(ByteBuffer.FromMemory, (shape, type, order, fill) => NDBuffer.Create(shape, type, order, fill));

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

    /// <summary>A new n-d buffer of <see cref="NDBufferType"/>: zeros, or <paramref name="fillValue"/>.</summary>
    public NDBuffer CreateNDBuffer(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C, object? fillValue = null) =>
        _createNDBuffer(shape, dataType, order, fillValue);

    /// <summary>An n-d buffer of <see cref="NDBufferType"/> decoded from raw element bytes (what Zarr's <c>bytes</c> codec reads).</summary>
    public NDBuffer NDBufferFromBytes(ByteBuffer bytes, ReadOnlySpan<int> shape, DataType dataType,
        ArrayOrder order = ArrayOrder.C, Endianness byteOrder = Endianness.Little)
    {
        var buffer = CreateNDBuffer(shape, dataType, order);
        buffer.LoadBytes(bytes, byteOrder);
        return buffer;
    }

    public override string ToString() => $"BufferPrototype({BufferType.Name}, {NDBufferType.Name})";
}
