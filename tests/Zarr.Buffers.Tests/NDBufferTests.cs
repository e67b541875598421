using System.Numerics;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Buffers.Tests;

public sealed class NDBufferTests
{
    public static TheoryData<string, int[], ArrayOrder> EmptyCases()
    {
        var cases = new TheoryData<string, int[], ArrayOrder>();
        foreach (var type in new[] { "int32", "float64" })
        {
            foreach (var shape in new[] { new[] { 1, 2 }, new[] { 1, 2, 3 } })
            {
                foreach (var order in new[] { ArrayOrder.C, ArrayOrder.F })
                {
                    cases.Add(type, shape, order);
                }
            }
        }

        return cases;
    }

    [Theory(DisplayName = "Empty gives the asked shape, type and layout (zarr-python's test_empty)")]
    [MemberData(nameof(EmptyCases))]
    public void EmptyHasShapeTypeAndLayout(string type, int[] shape, ArrayOrder order)
    {
        var buffer = NDBuffer.Empty(shape, DataType.Parse(type), order);
        Assert.Equal(shape, buffer.Shape);
        Assert.Equal(DataType.Parse(type), buffer.DataType);
        Assert.Equal(order, buffer.Order);
        Assert.Equal(order, buffer.AsArrayLike().Order);

        var test = NDBufferUsingTestNDArrayLike.Empty(shape, DataType.Parse(type), order);
        Assert.IsType<TestNDArrayLike>(test.AsArrayLike());
        Assert.Equal(shape, test.Shape);
        Assert.Equal(order, test.Order);
    }

    [Fact(DisplayName = "C and F layouts place elements differently in memory")]
    public void LayoutsDiffer()
    {
        var c = NDBuffer.Create([2, 3], DataType.UInt8);
        var f = NDBuffer.Create([2, 3], DataType.UInt8, ArrayOrder.F);
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                c[i, j] = (byte)(i * 3 + j);
                f[i, j] = (byte)(i * 3 + j);
            }
        }

        Assert.Equal([0, 1, 2, 3, 4, 5], c.ToBytes().ToArray());
        Assert.Equal([0, 3, 1, 4, 2, 5], f.ToBytes().ToArray());
    }

    [Fact(DisplayName = "AsScalar on more than one element throws; a 0-d buffer's scalar is its element")]
    public void AsScalar()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NDBuffer.Create([1, 2], DataType.Int32).AsScalar());
        Assert.Equal("Buffer does not contain a single scalar value", error.Message);

        var scalar = NDBuffer.Create([], DataType.Float64, fillValue: 2.5);
        Assert.Equal(1, scalar.Size);
        Assert.Equal(2.5, scalar.AsScalar());
        Assert.Equal(scalar[Array.Empty<int>()], scalar.AsScalar());
        Assert.Equal(7, NDBuffer.Create([1, 1], DataType.Int32, fillValue: 7).AsScalar());
    }

    public static TheoryData<string, object, object?, bool, bool> AllEqualCases() => new()
    {
        // type, fill, compared with, equalNan, expected
        { "float64", 0.0, -0.0, true, false },
        { "float64", -0.0, -0.0, true, true },
        { "float64", -0.0, 0.0, true, false },
        { "float64", 0.0, 0.0, true, true },
        { "float32", 0.0, -0.0, true, false },
        { "float16", -0.0, -0.0, true, true },
        { "int32", 0, -0.0, true, true },
        { "int32", 0, 0.0, true, true },
        { "uint8", 0, -0.0, true, true },
        { "int64", 5, 5, true, true },
        { "int64", 5, 5.0, true, true },
        { "int64", 5, 5.5, true, false },
        { "int64", long.MaxValue, long.MaxValue, true, true },
        { "int64", long.MaxValue, long.MaxValue - 1, true, false },
        { "uint64", ulong.MaxValue, ulong.MaxValue, true, true },
        { "float64", double.NaN, double.NaN, true, true },
        { "float64", double.NaN, double.NaN, false, false },
        { "float32", float.NaN, double.NaN, true, true },
        { "float64", 1.5, 1.5, true, true },
        { "float64", 1.5, 2, true, false },
        { "float64", 1.0, 1, true, true },
        { "complex64", new Complex(1, 2), new Complex(1, 2), true, true },
        { "complex128", new Complex(1, 2), new Complex(1, -2), true, false },
        { "complex128", new Complex(double.NaN, 0), new Complex(double.NaN, 0), true, true },
        { "complex128", new Complex(double.NaN, 0), new Complex(double.NaN, 0), false, false },
        { "complex128", new Complex(0, 0), -0.0, true, false },
        { "complex128", new Complex(0, 0), 0.0, true, true },
        { "complex64", new Complex(3, 0), 3, true, true },
        { "bool", true, true, true, true },
        { "bool", false, true, true, false },
        { "bool", false, -0.0, true, true },
        { "bool", true, 1, true, true },
        { "r16", new byte[] { 1, 2 }, new byte[] { 1, 2 }, true, true },
        { "r16", new byte[] { 1, 2 }, new byte[] { 2, 1 }, true, false },
        { "r16", new byte[] { 0, 0 }, -0.0, true, false },
        { "float64", 1.0, null, true, false },
        { "int32", 0, null, true, false },
    };

    [Theory(DisplayName = "AllEqual follows zarr's rules: bitwise zeros, NaN handling, null never equal")]
    [MemberData(nameof(AllEqualCases))]
    public void AllEqual(string type, object fill, object? other, bool equalNan, bool expected)
    {
        var buffer = NDBuffer.Create([3, 2], DataType.Parse(type), fillValue: fill);
        Assert.Equal(expected, buffer.AllEqual(other, equalNan));
    }

    [Fact(DisplayName = "An empty array is all equal to anything but null")]
    public void EmptyArrayIsAllEqual()
    {
        var empty = NDBuffer.Create([0, 4], DataType.Float64);
        Assert.True(empty.AllEqual(1.0));
        Assert.True(empty.AllEqual(-0.0));
        Assert.False(empty.AllEqual(null));
    }

    [Fact(DisplayName = "AllEqual with a buffer compares element by element, across layouts")]
    public void AllEqualWithBuffer()
    {
        var c = Sequence([2, 3], DataType.Int16, ArrayOrder.C);
        var f = Sequence([2, 3], DataType.Int16, ArrayOrder.F);
        Assert.True(c.AllEqual(f));
        f[1, 2] = (short)99;
        Assert.False(c.AllEqual(f));
        Assert.False(c.AllEqual(Sequence([3, 2], DataType.Int16, ArrayOrder.C)));
    }

    [Fact(DisplayName = "A single mismatching element makes AllEqual false")]
    public void OneMismatch()
    {
        var buffer = NDBuffer.Create([4, 4], DataType.Float32, fillValue: 1.0f);
        Assert.True(buffer.AllEqual(1.0));
        buffer[3, 3] = 2.0f;
        Assert.False(buffer.AllEqual(1.0));
    }

    [Fact(DisplayName = "Fill converts the value to the data type, wrapping integers as numpy does")]
    public void FillConverts()
    {
        Assert.Equal((byte)255, NDBuffer.Create([2], DataType.UInt8, fillValue: -1)[0]);
        Assert.Equal(3, NDBuffer.Create([2], DataType.Int32, fillValue: 3.9)[1]);
        Assert.Equal((Half)1.5, NDBuffer.Create([2], DataType.Float16, fillValue: 1.5)[0]);
        Assert.Equal(new Complex(2, 0), NDBuffer.Create([1], DataType.Complex128, fillValue: 2)[0]);
        Assert.Equal(true, NDBuffer.Create([1], DataType.Bool, fillValue: 5)[0]);
    }

    [Fact(DisplayName = "AsType converts every element and keeps shape and layout")]
    public void AsType()
    {
        var source = Sequence([2, 2], DataType.Int32, ArrayOrder.F);
        var converted = source.AsType(DataType.Float64);
        Assert.Equal(DataType.Float64, converted.DataType);
        Assert.Equal(ArrayOrder.F, converted.Order);
        Assert.Equal(3.0, converted[1, 1]);
        Assert.True(converted.AllEqual(source));
    }

    [Fact(DisplayName = "Reshape keeps C index order and infers one -1")]
    public void Reshape()
    {
        var source = Sequence([2, 3], DataType.Int32, ArrayOrder.C);
        var reshaped = source.Reshape(3, -1);
        Assert.Equal([3, 2], reshaped.Shape);
        Assert.Equal(2, reshaped[1, 0]);
        Assert.Equal(5, reshaped[2, 1]);
        Assert.Equal([6], source.Reshape(-1).Shape);
        Assert.Throws<ArgumentException>(() => source.Reshape(4, -1));
        Assert.Throws<ArgumentException>(() => source.Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => source.Reshape(5));

        var fortran = Sequence([2, 3], DataType.Int32, ArrayOrder.F).Reshape(6);
        Assert.Equal([0, 1, 2, 3, 4, 5], Enumerable.Range(0, 6).Select(i => (int)fortran[i]));
    }

    [Fact(DisplayName = "Squeeze removes axes of length one")]
    public void Squeeze()
    {
        var buffer = NDBuffer.Create([1, 3, 1, 2], DataType.UInt8);
        Assert.Equal([3, 2], buffer.Squeeze().Shape);
        Assert.Equal([3, 1, 2], buffer.Squeeze(0).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Squeeze(1));
    }

    [Fact(DisplayName = "Transpose reverses axes or applies a permutation")]
    public void Transpose()
    {
        var source = Sequence([2, 3, 4], DataType.Int32, ArrayOrder.C);
        var reversed = source.Transpose();
        Assert.Equal([4, 3, 2], reversed.Shape);
        Assert.Equal(source[1, 2, 3], reversed[3, 2, 1]);
        var permuted = source.Transpose(1, 0, 2);
        Assert.Equal([3, 2, 4], permuted.Shape);
        Assert.Equal(source[1, 2, 3], permuted[2, 1, 3]);
        Assert.Throws<ArgumentException>(() => source.Transpose(0, 0, 1));
    }

    [Fact(DisplayName = "Copy is independent of the original")]
    public void Copy()
    {
        var source = Sequence([2, 2], DataType.Int8, ArrayOrder.C);
        var copy = source.Copy();
        copy[0, 0] = (sbyte)42;
        Assert.Equal((sbyte)0, source[0, 0]);
        Assert.True(source.Copy().AllEqual(source));
    }

    [Fact(DisplayName = "Regions are read and written as rectangles")]
    public void Regions()
    {
        var buffer = Sequence([4, 5], DataType.Int32, ArrayOrder.C);
        var region = buffer.GetRegion(1..3, 2..);
        Assert.Equal([2, 3], region.Shape);
        Assert.Equal(7, region[0, 0]);
        Assert.Equal(14, region[1, 2]);

        buffer.SetRegion([0..2, 0..2], NDBuffer.Create([2, 2], DataType.Int32, fillValue: -1));
        Assert.Equal(-1, buffer[1, 1]);
        Assert.Equal(2, buffer[0, 2]);
        buffer.SetRegion([3..4, Range.All], 100);
        Assert.Equal(100, buffer[3, 4]);
        Assert.Throws<ArgumentException>(() => buffer.SetRegion([0..2, 0..2], NDBuffer.Create([3, 3], DataType.Int32)));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetRegion(0..9, ..));
    }

    [Fact(DisplayName = "Indexing outside the shape is refused")]
    public void IndexBounds()
    {
        var buffer = NDBuffer.Create([2, 2], DataType.Int32);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[2, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[0]);
    }

    [Fact(DisplayName = "Bytes are written and read in little- and big-endian order")]
    public void Endianness()
    {
        var buffer = NDBuffer.Create([2], DataType.UInt16);
        buffer[0] = (ushort)0x0102;
        buffer[1] = (ushort)0x0304;
        Assert.Equal([0x02, 0x01, 0x04, 0x03], buffer.ToBytes(Buffers.Endianness.Little).ToArray());
        Assert.Equal([0x01, 0x02, 0x03, 0x04], buffer.ToBytes(Buffers.Endianness.Big).ToArray());

        var back = NDBuffer.FromBytes(ByteBuffer.FromBytes([0x01, 0x02, 0x03, 0x04]), [2], DataType.UInt16, byteOrder: Buffers.Endianness.Big);
        Assert.Equal((ushort)0x0102, back[0]);
        var complex = NDBuffer.Create([1], DataType.Complex64, fillValue: new Complex(1, 2));
        var roundTrip = NDBuffer.FromBytes(complex.ToBytes(Buffers.Endianness.Big), [1], DataType.Complex64, byteOrder: Buffers.Endianness.Big);
        Assert.Equal(new Complex(1, 2), roundTrip[0]);
        Assert.Throws<ArgumentException>(() => NDBuffer.FromBytes(ByteBuffer.FromBytes([1, 2, 3]), [2], DataType.UInt16));
    }

    [Fact(DisplayName = "ToString reads like zarr's repr, and long arrays are cut")]
    public void Printable()
    {
        Assert.Equal("<NDBuffer shape=(2, 3) dtype=int32 [[0, 1, 2], [3, 4, 5]]>", Sequence([2, 3], DataType.Int32, ArrayOrder.C).ToString());
        Assert.Equal("<NDBuffer shape=() dtype=float64 2.5>", NDBuffer.Create([], DataType.Float64, fillValue: 2.5).ToString());
        Assert.Equal("<NDBufferUsingTestNDArrayLike shape=(2,) dtype=bool [True, True]>",
            NDBufferUsingTestNDArrayLike.Create([2], DataType.Bool, fillValue: true).ToString());
        Assert.Contains("...", NDBuffer.Create([1000], DataType.UInt8).ToString());
    }

    [Fact(DisplayName = "Buffers made from a test buffer stay test buffers over TestNDArrayLike")]
    public void TestBuffersStayTestBuffers()
    {
        var test = NDBufferUsingTestNDArrayLike.Create([2, 3], DataType.Float32, fillValue: 1.0f);
        foreach (var derived in new[] { test.Copy(), test.AsType(DataType.Float64), test.Reshape(-1), test.Transpose(), test.GetRegion(.., 1..) })
        {
            Assert.IsType<NDBufferUsingTestNDArrayLike>(derived);
            Assert.IsType<TestNDArrayLike>(derived.AsArrayLike());
        }

        var made = TestBufferPrototype.Instance.CreateNDBuffer([2, 2], DataType.Int32, fillValue: 4);
        Assert.IsType<NDBufferUsingTestNDArrayLike>(made);
        Assert.True(made.AllEqual(4));
        Assert.IsType<NDBuffer>(BufferPrototype.Default.CreateNDBuffer([1], DataType.Int32));
    }

    [Fact(DisplayName = "Random shapes, types and layouts round-trip through bytes in both byte orders and through double transpose")]
    public void RoundTripProperties()
    {
        var random = new Random(20261124);
        var types = DataType.Named.Append(DataType.RawBits(24)).ToArray();
        for (var trial = 0; trial < 300; trial++)
        {
            var rank = random.Next(0, 5);
            var shape = Enumerable.Range(0, rank).Select(_ => random.Next(0, 5)).ToArray();
            var type = types[random.Next(types.Length)];
            var order = random.Next(2) == 0 ? ArrayOrder.C : ArrayOrder.F;
            var buffer = NDBuffer.Empty(shape, type, order);
            var bytes = new byte[buffer.Size * type.ItemSize];
            random.NextBytes(bytes);
            buffer.LoadBytes(ByteBuffer.FromMemory(bytes));

            foreach (var byteOrder in new[] { Buffers.Endianness.Little, Buffers.Endianness.Big })
            {
                var back = NDBuffer.FromBytes(buffer.ToBytes(byteOrder), shape, type, order, byteOrder);
                Assert.Equal(bytes, back.ToBytes().ToArray());
            }

            var twice = buffer.Transpose().Transpose();
            Assert.Equal(shape, twice.Shape);
            Assert.Equal(bytes, twice.ToBytes().ToArray());
            if (rank >= 2)
            {
                var axes = Enumerable.Range(0, rank).OrderBy(_ => random.Next()).ToArray();
                var inverse = new int[rank];
                for (var i = 0; i < rank; i++)
                {
                    inverse[axes[i]] = i;
                }

                Assert.Equal(bytes, buffer.Transpose(axes).Transpose(inverse).ToBytes().ToArray());
            }
        }
    }

    private static NDBuffer Sequence(int[] shape, DataType type, ArrayOrder order)
    {
        var buffer = NDBuffer.Create(shape, type, order);
        var index = new int[shape.Length];
        var value = 0;
        if (buffer.Size == 0)
        {
            return buffer;
        }

        do
        {
            buffer[index] = value++;
        }
        while (Next(index, shape));
        return buffer;
    }

    private static bool Next(int[] index, int[] shape)
    {
        for (var axis = index.Length - 1; axis >= 0; axis--)
        {
            if (++index[axis] < shape[axis])
            {
                return true;
            }

            index[axis] = 0;
        }

        return false;
    }
}
