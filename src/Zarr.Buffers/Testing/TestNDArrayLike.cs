namespace Zarr.Buffers.Testing;

/// <summary>
/// A custom n-d array type, distinct from <see cref="NDArray"/>, that an <see cref="NDBuffer"/> can wrap:
/// tests use it to prove that a caller's array type survives a pipeline.
/// </summary>
public sealed class TestNDArrayLike : INDArrayLike
{
    private readonly byte[] _bytes;

    public TestNDArrayLike(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        Shape = NDShape.Validate(shape);
        DataType = dataType;
        Order = order;
        _bytes = new byte[checked(NDShape.Size(Shape) * dataType.ItemSize)];
    }

    public IReadOnlyList<int> Shape { get; }

    public DataType DataType { get; }

    public ArrayOrder Order { get; }

    public Memory<byte> Bytes => _bytes;

    public override string ToString() => $"TestNDArrayLike({NDShape.Format(Shape)}, {DataType}, {Order})";
}
