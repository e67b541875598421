namespace Zarr.Buffers;

/// <summary>
/// The storage an <see cref="NDBuffer"/> wraps: a shape, a data type, a layout and the element bytes
/// (little-endian, in the layout's order). Custom array types implement it, as zarr-python's
/// <c>NDArrayLike</c> lets a buffer wrap any array library's arrays.
/// </summary>
public interface INDArrayLike
{
    IReadOnlyList<int> Shape { get; }

    DataType DataType { get; }

    ArrayOrder Order { get; }

    /// <summary>The element bytes, writable in place.</summary>
    Memory<byte> Bytes { get; }
}

/// <summary>The default array: one byte array.</summary>
public sealed class NDArray : INDArrayLike
{
    public NDArray(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        Shape = NDShape.Validate(shape);
        DataType = dataType;
        Order = order;
        Bytes = new byte[checked(NDShape.Size(Shape) * dataType.ItemSize)];
    }

    public IReadOnlyList<int> Shape { get; }

    public DataType DataType { get; }

    public ArrayOrder Order { get; }

    public Memory<byte> Bytes { get; }

    public override string ToString() => $"NDArray({NDShape.Format(Shape)}, {DataType}, {Order})";
}
