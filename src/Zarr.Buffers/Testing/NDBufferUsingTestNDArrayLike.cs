namespace Zarr.Buffers.Testing;

/// <summary>An <see cref="NDBuffer"/> whose arrays are <see cref="TestNDArrayLike"/>s, however they are made.</summary>
public sealed class NDBufferUsingTestNDArrayLike : NDBuffer
{
    public NDBufferUsingTestNDArrayLike(INDArrayLike array) : base(array)
    {
    }

    /// <summary>A buffer over a new <see cref="TestNDArrayLike"/>, zeros or <paramref name="fillValue"/>.</summary>
    public static new NDBufferUsingTestNDArrayLike Create(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C, object? fillValue = null)
    {
        var buffer = new NDBufferUsingTestNDArrayLike(new TestNDArrayLike(shape, dataType, order));
        if (fillValue is not null)
        {
            buffer.Fill(fillValue);
        }

        return buffer;
    }

    /// <summary>A buffer over a new <see cref="TestNDArrayLike"/>, contents not to be relied on.</summary>
    public static new NDBufferUsingTestNDArrayLike Empty(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C) =>
        new(new TestNDArrayLike(shape, dataType, order));

    protected override NDBuffer CreateLike(INDArrayLike array) => new NDBufferUsingTestNDArrayLike(array);

    protected override INDArrayLike Allocate(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order) => new TestNDArrayLike(shape, dataType, order);
}
