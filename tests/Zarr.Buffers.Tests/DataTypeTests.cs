using Zarr.Buffers;

namespace Zarr.Buffers.Tests;

public sealed class DataTypeTests
{
    public static TheoryData<string, int, DataTypeKind> Types() => new()
    {
        { "bool", 1, DataTypeKind.Bool },
        { "int8", 1, DataTypeKind.SignedInteger },
        { "int16", 2, DataTypeKind.SignedInteger },
        { "int32", 4, DataTypeKind.SignedInteger },
        { "int64", 8, DataTypeKind.SignedInteger },
        { "uint8", 1, DataTypeKind.UnsignedInteger },
        { "uint16", 2, DataTypeKind.UnsignedInteger },
        { "uint32", 4, DataTypeKind.UnsignedInteger },
        { "uint64", 8, DataTypeKind.UnsignedInteger },
        { "float16", 2, DataTypeKind.Float },
        { "float32", 4, DataTypeKind.Float },
        { "float64", 8, DataTypeKind.Float },
        { "complex64", 8, DataTypeKind.Complex },
        { "complex128", 16, DataTypeKind.Complex },
        { "r8", 1, DataTypeKind.RawBits },
        { "r16", 2, DataTypeKind.RawBits },
        { "r24", 3, DataTypeKind.RawBits },
        { "r128", 16, DataTypeKind.RawBits },
    };

    [Theory(DisplayName = "Every core type parses from and prints as its Zarr v3 name, with its item size")]
    [MemberData(nameof(Types))]
    public void ParseAndPrint(string name, int itemSize, DataTypeKind kind)
    {
        var type = DataType.Parse(name);
        Assert.Equal(name, type.ToString());
        Assert.Equal(itemSize, type.ItemSize);
        Assert.Equal(kind, type.Kind);
        Assert.Equal(type, DataType.Parse(type.ToString()));
    }

    [Theory(DisplayName = "Unknown names are refused with an ArgumentException naming them")]
    [InlineData("int")]
    [InlineData("Int32")]
    [InlineData("float128")]
    [InlineData("r0")]
    [InlineData("r7")]
    [InlineData("r")]
    [InlineData("r-8")]
    [InlineData("<i4")]
    [InlineData("")]
    public void UnknownNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => DataType.Parse(name));
        Assert.Contains($"\"{name}\"", error.Message);
        Assert.False(DataType.TryParse(name, out _));
    }

    [Fact(DisplayName = "Raw bits must be a positive multiple of 8")]
    public void RawBits()
    {
        Assert.Equal("r32", DataType.RawBits(32).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataType.RawBits(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataType.RawBits(0));
    }

    [Fact(DisplayName = "Data types compare by name")]
    public void Equality()
    {
        Assert.Equal(DataType.RawBits(16), DataType.Parse("r16"));
        Assert.True(DataType.Int32 == DataType.Parse("int32"));
        Assert.True(DataType.Int32 != DataType.UInt32);
        Assert.Equal(14, DataType.Named.Count);
    }
}
