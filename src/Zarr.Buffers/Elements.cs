using System.Buffers.Binary;
using System.Numerics;

namespace Zarr.Buffers;

/// <summary>Reads, writes and converts single elements of every data type (little-endian bytes).</summary>
internal static class Elements
{
    // Every arm is cast to object: otherwise a switch expression unifies its arms' types (int, short
    // and sbyte would all come back as long).
    public static object Read(ReadOnlySpan<byte> bytes, DataType type) => type.Kind switch
    {
        DataTypeKind.Bool => bytes[0] != 0,
        DataTypeKind.SignedInteger => type.ItemSize switch
        {
            1 => (object)(sbyte)bytes[0],
            2 => (object)BinaryPrimitives.ReadInt16LittleEndian(bytes),
            4 => (object)BinaryPrimitives.ReadInt32LittleEndian(bytes),
            _ => (object)BinaryPrimitives.ReadInt64LittleEndian(bytes),
        },
        DataTypeKind.UnsignedInteger => type.ItemSize switch
        {
            1 => (object)bytes[0],
            2 => (object)BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => (object)BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => (object)BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        },
        DataTypeKind.Float => type.ItemSize switch
        {
            2 => (object)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            4 => (object)BinaryPrimitives.ReadSingleLittleEndian(bytes),
            _ => (object)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        },
        DataTypeKind.Complex => ReadComplex(bytes, type),
        _ => bytes[..type.ItemSize].ToArray(),
    };

    public static double ReadDouble(ReadOnlySpan<byte> bytes, DataType type) => type.Kind switch
    {
        DataTypeKind.Bool => bytes[0] != 0 ? 1 : 0,
        DataTypeKind.SignedInteger or DataTypeKind.UnsignedInteger => (double)ReadInteger(bytes, type),
        DataTypeKind.Float => type.ItemSize switch
        {
            2 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            4 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        },
        DataTypeKind.Complex => ReadComplex(bytes, type).Real,
        _ => throw new InvalidOperationException($"{type} elements are not numbers"),
    };

    public static Int128 ReadInteger(ReadOnlySpan<byte> bytes, DataType type) => type.Kind switch
    {
        DataTypeKind.Bool => bytes[0] != 0 ? 1 : 0,
        DataTypeKind.SignedInteger => type.ItemSize switch
        {
            1 => (sbyte)bytes[0],
            2 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        },
        DataTypeKind.UnsignedInteger => type.ItemSize switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        },
        _ => throw new InvalidOperationException($"{type} elements are not integers"),
    };

    public static Complex ReadComplex(ReadOnlySpan<byte> bytes, DataType type) => type.Kind switch
    {
        DataTypeKind.Complex when type.ItemSize == 8 =>
            new Complex(BinaryPrimitives.ReadSingleLittleEndian(bytes), BinaryPrimitives.ReadSingleLittleEndian(bytes[4..])),
        DataTypeKind.Complex =>
            new Complex(BinaryPrimitives.ReadDoubleLittleEndian(bytes), BinaryPrimitives.ReadDoubleLittleEndian(bytes[8..])),
        _ => new Complex(ReadDouble(bytes, type), 0),
    };

    /// <summary>Writes <paramref name="value"/> converted to <paramref name="type"/>, as numpy's casts do (integers wrap).</summary>
    public static void Write(Span<byte> bytes, DataType type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (type.Kind)
        {
            case DataTypeKind.Bool:
                bytes[0] = ToBool(value) ? (byte)1 : (byte)0;
                break;
            case DataTypeKind.SignedInteger:
            case DataTypeKind.UnsignedInteger:
                var integer = ToInteger(value);
                switch (type.ItemSize)
                {
                    case 1:
                        bytes[0] = unchecked((byte)integer);
                        break;
                    case 2:
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes, unchecked((ushort)integer));
                        break;
                    case 4:
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)integer));
                        break;
                    default:
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes, unchecked((ulong)integer));
                        break;
                }

                break;
            case DataTypeKind.Float:
                var number = ToDouble(value);
                switch (type.ItemSize)
                {
                    case 2:
                        BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)number);
                        break;
                    case 4:
                        BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)number);
                        break;
                    default:
                        BinaryPrimitives.WriteDoubleLittleEndian(bytes, number);
                        break;
                }

                break;
            case DataTypeKind.Complex:
                var complex = ToComplex(value);
                if (type.ItemSize == 8)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)complex.Real);
                    BinaryPrimitives.WriteSingleLittleEndian(bytes[4..], (float)complex.Imaginary);
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes, complex.Real);
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes[8..], complex.Imaginary);
                }

                break;
            default:
                var raw = value switch
                {
                    byte[] array => array,
                    ReadOnlyMemory<byte> memory => memory.ToArray(),
                    _ when IsIntegral(value) && ToInteger(value) == 0 => new byte[type.ItemSize],
                    _ => throw new ArgumentException($"a {type} element is {type.ItemSize} raw bytes, not {value.GetType().Name}", nameof(value)),
                };
                if (raw.Length != type.ItemSize)
                {
                    throw new ArgumentException($"a {type} element is {type.ItemSize} bytes, not {raw.Length}", nameof(value));
                }

                raw.CopyTo(bytes);
                break;
        }
    }

    public static bool IsIntegral(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or Int128 or UInt128 or nint or nuint;

    public static bool IsFloating(object value) => value is double or float or Half or decimal;

    public static bool ToBool(object value) => value switch
    {
        bool b => b,
        Complex c => c != Complex.Zero,
        _ when IsIntegral(value) => ToInteger(value) != 0,
        _ => ToDouble(value) != 0,
    };

    public static Int128 ToInteger(object value) => value switch
    {
        bool b => b ? 1 : 0,
        sbyte v => v,
        byte v => v,
        short v => v,
        ushort v => v,
        int v => v,
        uint v => v,
        long v => v,
        ulong v => v,
        Int128 v => v,
        UInt128 v => (Int128)v,
        nint v => v,
        nuint v => v,
        Complex c => FromDouble(c.Real),
        _ => FromDouble(ToDouble(value)),
    };

    public static double ToDouble(object value) => value switch
    {
        bool b => b ? 1 : 0,
        double d => d,
        float f => f,
        Half h => (double)h,
        decimal m => (double)m,
        Complex c => c.Real,
        _ when IsIntegral(value) => (double)ToInteger(value),
        IConvertible convertible => convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a number", nameof(value)),
    };

    public static Complex ToComplex(object value) => value is Complex c ? c : new Complex(ToDouble(value), 0);

    private static Int128 FromDouble(double value) =>
        double.IsFinite(value) ? (Int128)Math.Truncate(value) : Int128.Zero;

    /// <summary>Reverses the byte order of each element (each part of a complex one) in place.</summary>
    public static void SwapBytes(Span<byte> bytes, DataType type)
    {
        var part = type.IsComplex ? type.ItemSize / 2 : type.ItemSize;
        if (type.IsRaw || part == 1)
        {
            return;
        }

        for (var at = 0; at < bytes.Length; at += part)
        {
            bytes.Slice(at, part).Reverse();
        }
    }
}
