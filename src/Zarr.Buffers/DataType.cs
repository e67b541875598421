using System.Globalization;

namespace Zarr.Buffers;

/// <summary>The families of Zarr v3 core data types.</summary>
public enum DataTypeKind
{
    Bool,
    SignedInteger,
    UnsignedInteger,
    Float,
    Complex,
    RawBits,
}

/// <summary>
/// A Zarr v3 core data type: <c>bool</c>, <c>int8</c>..<c>int64</c>, <c>uint8</c>..<c>uint64</c>,
/// <c>float16/32/64</c>, <c>complex64/128</c> and raw bits <c>r8</c>, <c>r16</c>, ... Parsed from and
/// printed as its Zarr v3 metadata name. Elements are stored little-endian in memory.
/// </summary>
public sealed class DataType : IEquatable<DataType>
{
    private DataType(string name, DataTypeKind kind, int itemSize)
    {
        Name = name;
        Kind = kind;
        ItemSize = itemSize;
    }

    public static DataType Bool { get; } = new("bool", DataTypeKind.Bool, 1);
    public static DataType Int8 { get; } = new("int8", DataTypeKind.SignedInteger, 1);
    public static DataType Int16 { get; } = new("int16", DataTypeKind.SignedInteger, 2);
    public static DataType Int32 { get; } = new("int32", DataTypeKind.SignedInteger, 4);
    public static DataType Int64 { get; } = new("int64", DataTypeKind.SignedInteger, 8);
    public static DataType UInt8 { get; } = new("uint8", DataTypeKind.UnsignedInteger, 1);
    public static DataType UInt16 { get; } = new("uint16", DataTypeKind.UnsignedInteger, 2);
    public static DataType UInt32 { get; } = new("uint32", DataTypeKind.UnsignedInteger, 4);
    public static DataType UInt64 { get; } = new("uint64", DataTypeKind.UnsignedInteger, 8);
    public static DataType Float16 { get; } = new("float16", DataTypeKind.Float, 2);
    public static DataType Float32 { get; } = new("float32", DataTypeKind.Float, 4);
    public static DataType Float64 { get; } = new("float64", DataTypeKind.Float, 8);
    public static DataType Complex64 { get; } = new("complex64", DataTypeKind.Complex, 8);
    public static DataType Complex128 { get; } = new("complex128", DataTypeKind.Complex, 16);

    /// <summary>Every named core type (raw bits are made with <see cref="RawBits"/>).</summary>
    public static IReadOnlyList<DataType> Named { get; } =
    [
        Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16, Float32, Float64, Complex64, Complex128,
    ];

    /// <summary>The Zarr v3 metadata name, e.g. <c>int32</c> or <c>r16</c>.</summary>
    public string Name { get; }

    public DataTypeKind Kind { get; }

    /// <summary>The size of one element in bytes.</summary>
    public int ItemSize { get; }

    public bool IsInteger => Kind is DataTypeKind.SignedInteger or DataTypeKind.UnsignedInteger;

    public bool IsFloatingPoint => Kind == DataTypeKind.Float;

    public bool IsComplex => Kind == DataTypeKind.Complex;

    /// <summary>Raw bits: compared byte for byte, never as numbers (NaN has no meaning for them).</summary>
    public bool IsRaw => Kind == DataTypeKind.RawBits;

    /// <summary>Raw bits of <paramref name="bits"/> bits, a positive multiple of 8.</summary>
    public static DataType RawBits(int bits) =>
        bits > 0 && bits % 8 == 0
            ? new DataType("r" + bits.ToString(CultureInfo.InvariantCulture), DataTypeKind.RawBits, bits / 8)
            : throw new ArgumentOutOfRangeException(nameof(bits), bits, "raw bits must be a positive multiple of 8");

    /// <summary>The type named <paramref name="name"/> in Zarr v3 metadata.</summary>
    public static DataType Parse(string name) =>
        TryParse(name, out var type)
            ? type
            : throw new ArgumentException($"\"{name}\" is not a Zarr v3 core data type (bool, int8..int64, uint8..uint64, float16/32/64, complex64/128, r<bits>)", nameof(name));

    public static bool TryParse(string? name, out DataType type)
    {
        type = null!;
        if (name is null)
        {
            return false;
        }

        foreach (var named in Named)
        {
            if (named.Name == name)
            {
                type = named;
                return true;
            }
        }

        if (name.Length > 1 && name[0] == 'r' && char.IsAsciiDigit(name[1]) &&
            int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits > 0 && bits % 8 == 0)
        {
            type = RawBits(bits);
            return true;
        }

        return false;
    }

    public bool Equals(DataType? other) => other is not null && other.Name == Name;

    public override bool Equals(object? obj) => obj is DataType other && Equals(other);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(DataType? left, DataType? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DataType? left, DataType? right) => !(left == right);

    public override string ToString() => Name;
}
