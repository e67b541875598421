using System.Numerics;

namespace Zarr.Buffers;

/// <summary>
/// An n-dimensional typed array over an <see cref="INDArrayLike"/>: Zarr's <c>NDBuffer</c>, what chunks
/// decode into. Operations that make a new buffer (<see cref="Copy"/>, <see cref="AsType"/>,
/// <see cref="Transpose()"/>, ...) return the same buffer type over the same kind of array.
/// Comparison (<see cref="AllEqual"/>) is in <c>NDBuffer.Equality.cs</c>, the text form in <c>NDBuffer.Text.cs</c>.
/// </summary>
public partial class NDBuffer
{
    private readonly INDArrayLike _array;
    private readonly int[] _strides;

    public NDBuffer(INDArrayLike array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var expected = (long)NDShape.Size(array.Shape) * array.DataType.ItemSize;
        if (array.Bytes.Length != expected)
        {
            throw new ArgumentException($"an array of shape {NDShape.Format(array.Shape)} and type {array.DataType} needs {expected} bytes, not {array.Bytes.Length}", nameof(array));
        }

        _array = array;
        _strides = NDShape.Strides(array.Shape, array.Order);
    }

    /// <summary>A buffer of <paramref name="shape"/> filled with zeros, or with <paramref name="fillValue"/>.</summary>
    public static NDBuffer Create(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C, object? fillValue = null)
    {
        var buffer = new NDBuffer(new NDArray(shape, dataType, order));
        if (fillValue is not null)
        {
            buffer.Fill(fillValue);
        }

        return buffer;
    }

    /// <summary>A buffer of <paramref name="shape"/> whose contents are not to be relied on (zeros here).</summary>
    public static NDBuffer Empty(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order = ArrayOrder.C) =>
        new(new NDArray(shape, dataType, order));

    /// <summary>A buffer holding a copy of <paramref name="bytes"/>: elements in <paramref name="order"/>'s layout, each in <paramref name="byteOrder"/>.</summary>
    public static NDBuffer FromBytes(ByteBuffer bytes, ReadOnlySpan<int> shape, DataType dataType,
        ArrayOrder order = ArrayOrder.C, Endianness byteOrder = Endianness.Little)
    {
        var buffer = Empty(shape, dataType, order);
        buffer.LoadBytes(bytes, byteOrder);
        return buffer;
    }

    public IReadOnlyList<int> Shape => _array.Shape;

    public DataType DataType => _array.DataType;

    public ArrayOrder Order => _array.Order;

    /// <summary>Elements are held little-endian in memory; <see cref="ToBytes"/> writes either order.</summary>
    public Endianness ByteOrder => Endianness.Little;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _array.Shape.Count;

    /// <summary>The number of elements.</summary>
    public int Size => NDShape.Size(_array.Shape);

    /// <summary>The wrapped array (no copy).</summary>
    public INDArrayLike AsArrayLike() => _array;

    private Span<byte> Bytes => _array.Bytes.Span;

    private int ItemSize => _array.DataType.ItemSize;

    /// <summary>The element at <paramref name="index"/>, boxed (<see cref="Complex"/> for complex types, <c>byte[]</c> for raw bits).</summary>
    public object this[params int[] index]
    {
        get => Elements.Read(Bytes.Slice(OffsetOf(index), ItemSize), DataType);
        set => Elements.Write(Bytes.Slice(OffsetOf(index), ItemSize), DataType, value);
    }

    /// <summary>Sets every element to <paramref name="value"/>, converted to the data type.</summary>
    public void Fill(object value)
    {
        Span<byte> element = stackalloc byte[ItemSize];
        Elements.Write(element, DataType, value);
        var bytes = Bytes;
        for (var at = 0; at < bytes.Length; at += ItemSize)
        {
            element.CopyTo(bytes[at..]);
        }
    }

    /// <summary>The only element; throws when there is not exactly one.</summary>
    public object AsScalar() =>
        Size == 1
            ? Elements.Read(Bytes[..ItemSize], DataType)
            : throw new InvalidOperationException("Buffer does not contain a single scalar value");

    /// <summary>A copy with every element converted to <paramref name="dataType"/>.</summary>
    public NDBuffer AsType(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        var result = CreateLike(Allocate(ShapeArray(), dataType, Order));
        var source = Bytes;
        var target = result.Bytes;
        for (int from = 0, to = 0; from < source.Length; from += ItemSize, to += dataType.ItemSize)
        {
            Elements.Write(target.Slice(to, dataType.ItemSize), dataType, Elements.Read(source.Slice(from, ItemSize), DataType));
        }

        return result;
    }

    /// <summary>The same elements, in C index order, in <paramref name="shape"/>; one length may be -1 (inferred).</summary>
    public NDBuffer Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var inferred = Array.IndexOf(shape, -1);
        if (inferred >= 0 && Array.IndexOf(shape, -1, inferred + 1) >= 0)
        {
            throw new ArgumentException("only one length of a shape can be -1", nameof(shape));
        }

        var known = shape.Where(l => l != -1).Aggregate(1L, (product, length) =>
            length < 0 ? throw new ArgumentException($"shape {NDShape.Format(shape)} has a negative length", nameof(shape)) : product * length);
        var target = (int[])shape.Clone();
        if (inferred >= 0)
        {
            if (known == 0 || Size % known != 0)
            {
                throw new ArgumentException($"cannot reshape an array of size {Size} into shape {NDShape.Format(shape)}", nameof(shape));
            }

            target[inferred] = (int)(Size / known);
        }
        else if (known != Size)
        {
            throw new ArgumentException($"cannot reshape an array of size {Size} into shape {NDShape.Format(shape)}", nameof(shape));
        }

        var result = CreateLike(Allocate(target, DataType, Order));
        using var from = OffsetsInCOrder().GetEnumerator();
        using var to = result.OffsetsInCOrder().GetEnumerator();
        while (from.MoveNext() && to.MoveNext())
        {
            Bytes.Slice(from.Current, ItemSize).CopyTo(result.Bytes[to.Current..]);
        }

        return result;
    }

    /// <summary>Removes the axes of length 1 (or just <paramref name="axis"/>, which must have length 1).</summary>
    public NDBuffer Squeeze(int? axis = null)
    {
        if (axis is { } only)
        {
            if (only < 0 || only >= Rank || Shape[only] != 1)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), axis, $"cannot squeeze axis {axis} of shape {NDShape.Format(Shape)}");
            }

            return Reshape(Shape.Where((_, i) => i != only).ToArray());
        }

        return Reshape(Shape.Where(length => length != 1).ToArray());
    }

    /// <summary>The axes reversed.</summary>
    public NDBuffer Transpose() => Transpose(Enumerable.Range(0, Rank).Reverse().ToArray());

    /// <summary>Axis <c>i</c> of the result is axis <c>axes[i]</c> of this buffer.</summary>
    public NDBuffer Transpose(params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != Rank || axes.Order().Where((axis, i) => axis != i).Any())
        {
            throw new ArgumentException($"{NDShape.Format(axes)} is not a permutation of the {Rank} axes", nameof(axes));
        }

        var shape = axes.Select(axis => Shape[axis]).ToArray();
        var result = CreateLike(Allocate(shape, DataType, Order));
        var index = new int[Rank];
        var source = new int[Rank];
        if (result.Size > 0)
        {
            do
            {
                for (var i = 0; i < axes.Length; i++)
                {
                    source[axes[i]] = index[i];
                }

                Bytes.Slice(OffsetOf(source), ItemSize).CopyTo(result.Bytes[result.OffsetOf(index)..]);
            }
            while (NDShape.Next(index, shape));
        }

        return result;
    }

    /// <summary>An independent copy of the same type, shape and layout.</summary>
    public NDBuffer Copy()
    {
        var result = CreateLike(Allocate(ShapeArray(), DataType, Order));
        Bytes.CopyTo(result.Bytes);
        return result;
    }

    /// <summary>A copy of the rectangular region <paramref name="region"/> (one range per axis).</summary>
    public NDBuffer GetRegion(params Range[] region)
    {
        var (starts, lengths) = Resolve(region);
        var result = CreateLike(Allocate(lengths, DataType, Order));
        ForEachInRegion(starts, lengths, (offset, index) =>
            Bytes.Slice(offset, ItemSize).CopyTo(result.Bytes[result.OffsetOf(index)..]));
        return result;
    }

    /// <summary>Copies <paramref name="values"/> (of the region's shape, or a single element) into the region.</summary>
    public void SetRegion(Range[] region, NDBuffer values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (starts, lengths) = Resolve(region);
        if (values.Size == 1)
        {
            SetRegion(region, values.AsScalar());
            return;
        }

        if (!values.Shape.SequenceEqual(lengths))
        {
            throw new ArgumentException($"values of shape {NDShape.Format(values.Shape)} do not fit a region of shape {NDShape.Format(lengths)}", nameof(values));
        }

        var converted = values.DataType == DataType ? values : values.AsType(DataType);
        ForEachInRegion(starts, lengths, (offset, index) =>
            converted.Bytes.Slice(converted.OffsetOf(index), ItemSize).CopyTo(Bytes[offset..]));
    }

    /// <summary>Sets every element of the region to <paramref name="value"/>.</summary>
    public void SetRegion(Range[] region, object value)
    {
        var (starts, lengths) = Resolve(region);
        var element = new byte[ItemSize];
        Elements.Write(element, DataType, value);
        ForEachInRegion(starts, lengths, (offset, _) => element.CopyTo(Bytes[offset..]));
    }

    /// <summary>The element bytes in this buffer's layout, each in <paramref name="byteOrder"/> (what Zarr's <c>bytes</c> codec writes).</summary>
    public ByteBuffer ToBytes(Endianness byteOrder = Endianness.Little)
    {
        var bytes = Bytes.ToArray();
        if (byteOrder == Endianness.Big)
        {
            Elements.SwapBytes(bytes, DataType);
        }

        return ByteBuffer.FromMemory(bytes);
    }

    /// <summary>Replaces the elements with <paramref name="bytes"/> (this buffer's layout, each in <paramref name="byteOrder"/>).</summary>
    public void LoadBytes(ByteBuffer bytes, Endianness byteOrder = Endianness.Little)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != Bytes.Length)
        {
            throw new ArgumentException($"shape {NDShape.Format(Shape)} of {DataType} needs {Bytes.Length} bytes, not {bytes.Length}", nameof(bytes));
        }

        bytes.Span.CopyTo(Bytes);
        if (byteOrder == Endianness.Big)
        {
            Elements.SwapBytes(Bytes, DataType);
        }
    }

    /// <summary>The buffer type to wrap new arrays in; subclasses return their own type.</summary>
    protected virtual NDBuffer CreateLike(INDArrayLike array) => new(array);

    /// <summary>A new array of the same kind as this buffer's.</summary>
    protected virtual INDArrayLike Allocate(ReadOnlySpan<int> shape, DataType dataType, ArrayOrder order) => new NDArray(shape, dataType, order);

    private int[] ShapeArray() => Shape.ToArray();

    private int OffsetOf(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank)
        {
            throw new IndexOutOfRangeException($"an index into shape {NDShape.Format(Shape)} has {Rank} parts, not {index.Length}");
        }

        var element = 0;
        for (var axis = 0; axis < index.Length; axis++)
        {
            if ((uint)index[axis] >= (uint)Shape[axis])
            {
                throw new IndexOutOfRangeException($"index {index[axis]} is outside axis {axis} of shape {NDShape.Format(Shape)}");
            }

            element += index[axis] * _strides[axis];
        }

        return element * ItemSize;
    }

    private IEnumerable<int> OffsetsInCOrder()
    {
        if (Size == 0)
        {
            yield break;
        }

        var index = new int[Rank];
        do
        {
            yield return OffsetOf(index);
        }
        while (NDShape.Next(index, Shape));
    }

    private (int[] Starts, int[] Lengths) Resolve(Range[] region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (region.Length != Rank)
        {
            throw new ArgumentException($"a region of shape {NDShape.Format(Shape)} needs {Rank} ranges, not {region.Length}", nameof(region));
        }

        var starts = new int[Rank];
        var lengths = new int[Rank];
        for (var axis = 0; axis < Rank; axis++)
        {
            try
            {
                (starts[axis], lengths[axis]) = region[axis].GetOffsetAndLength(Shape[axis]);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new ArgumentOutOfRangeException(nameof(region), $"range {region[axis]} is outside axis {axis} of shape {NDShape.Format(Shape)}");
            }
        }

        return (starts, lengths);
    }

    private void ForEachInRegion(int[] starts, int[] lengths, Action<int, int[]> visit)
    {
        if (lengths.Any(length => length == 0))
        {
            return;
        }

        var index = new int[Rank];
        var absolute = new int[Rank];
        do
        {
            for (var axis = 0; axis < Rank; axis++)
            {
                absolute[axis] = starts[axis] + index[axis];
            }

            visit(OffsetOf(absolute), index);
        }
        while (NDShape.Next(index, lengths));
    }
}
