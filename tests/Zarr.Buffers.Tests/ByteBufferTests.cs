using System.Runtime.InteropServices;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Buffers.Tests;

public sealed class ByteBufferTests
{
    [Fact(DisplayName = "FromBytes copies: changing the source array does not change the buffer")]
    public void FromBytesCopies()
    {
        var source = new byte[] { 1, 2, 3 };
        var buffer = ByteBuffer.FromBytes(source);
        source[0] = 9;
        Assert.Equal([1, 2, 3], buffer.ToArray());
    }

    [Fact(DisplayName = "FromMemory does not copy: the buffer is a view of the memory handed over")]
    public void FromMemoryDoesNotCopy()
    {
        var source = new byte[] { 1, 2, 3 };
        var buffer = ByteBuffer.FromMemory(source);
        Assert.True(MemoryMarshal.TryGetArray(buffer.Memory, out var segment));
        Assert.Same(source, segment.Array);
    }

    [Fact(DisplayName = "Empty has no bytes, and ToArray is a fresh copy")]
    public void EmptyAndToArray()
    {
        Assert.Equal(0, ByteBuffer.Empty.Length);
        Assert.True(ByteBuffer.Empty.Span.IsEmpty);
        var buffer = ByteBuffer.FromBytes([5, 6]);
        var copy = buffer.ToArray();
        copy[0] = 0;
        Assert.Equal([5, 6], buffer.ToArray());
    }

    [Fact(DisplayName = "Buffers are equal when their bytes are, whatever their subtype")]
    public void EqualityIsByBytes()
    {
        var plain = ByteBuffer.FromBytes([1, 2, 3]);
        var test = TestBuffer.FromBytes([1, 2, 3]);
        Assert.Equal(plain, test);
        Assert.True(plain == test);
        Assert.Equal(plain.GetHashCode(), test.GetHashCode());
        Assert.NotEqual(plain, ByteBuffer.FromBytes([1, 2, 4]));
        Assert.NotEqual(plain, ByteBuffer.FromBytes([1, 2]));
        Assert.False(plain.Equals(null));
        var large = new byte[10_000];
        Assert.Equal(ByteBuffer.FromBytes(large).GetHashCode(), ByteBuffer.FromMemory(large.ToArray()).GetHashCode());
    }

    [Fact(DisplayName = "Slicing keeps the subtype and shares the bytes")]
    public void SlicingKeepsTypeWithoutCopy()
    {
        var test = TestBuffer.FromBytes([0, 1, 2, 3, 4, 5]);
        var slice = test[1..4];
        Assert.IsType<TestBuffer>(slice);
        Assert.Equal([1, 2, 3], slice.ToArray());
        Assert.True(slice.Span.Overlaps(test.Span));
        Assert.Equal([4, 5], test.Slice(4).ToArray());
        Assert.Equal([2, 3], test.Slice(2, 2).ToArray());
        Assert.Same(test, test.Slice(0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Slice(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Slice(-1, 1));
    }

    [Fact(DisplayName = "Combine and + append, keeping the left buffer's type")]
    public void CombineAndPlus()
    {
        var left = TestBuffer.FromBytes([1]);
        var combined = left.Combine([ByteBuffer.FromBytes([2, 3]), ByteBuffer.Empty, ByteBuffer.FromBytes([4])]);
        Assert.IsType<TestBuffer>(combined);
        Assert.Equal([1, 2, 3, 4], combined.ToArray());
        var sum = ByteBuffer.FromBytes([7]) + TestBuffer.FromBytes([8]);
        Assert.IsType<ByteBuffer>(sum);
        Assert.Equal([7, 8], sum.ToArray());
        Assert.Equal([1], left.ToArray());
    }

    [Fact(DisplayName = "A prototype converts to exactly its buffer type without copying")]
    public void PrototypeConvertsWithoutCopy()
    {
        var plain = ByteBuffer.FromBytes([1, 2, 3]);
        var converted = TestBufferPrototype.Instance.Convert(plain);
        Assert.IsType<TestBuffer>(converted);
        Assert.True(converted.Span == plain.Span, "the converted buffer must view the same bytes");
        Assert.Same(converted, TestBufferPrototype.Instance.Convert(converted));

        var back = BufferPrototype.Default.Convert(converted);
        Assert.Equal(typeof(ByteBuffer), back.GetType());
        Assert.True(back.Span == plain.Span);
        Assert.Same(plain, BufferPrototype.Default.Convert(plain));
        Assert.Equal(typeof(TestBuffer), TestBufferPrototype.Instance.BufferType);
        Assert.Equal(typeof(NDBufferUsingTestNDArrayLike), TestBufferPrototype.Instance.NDBufferType);
        Assert.Equal(typeof(NDBuffer), BufferPrototype.Default.NDBufferType);
    }

    [Fact(DisplayName = "ToString shows the type, the length and the first bytes")]
    public void Printable()
    {
        Assert.Equal("<TestBuffer length=2 0aff>", TestBuffer.FromBytes([10, 255]).ToString());
        Assert.EndsWith("...>", ByteBuffer.FromBytes(new byte[100]).ToString());
    }
}
