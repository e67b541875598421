using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// An array's fill value: the element that uninitialised parts read as, kept as its exact bits (one
/// element, little-endian), so NaN payloads and <c>-0.0</c> survive. Encoded in <c>zarr.json</c> as the
/// spec says: booleans, integers, floats as numbers or <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c> or <c>"0x…"</c> bits, complex numbers as [real, imaginary], raw bits as byte lists.
/// </summary>
public sealed class FillValue : IEquatable<FillValue>
{
    private readonly byte[] _bits;

    private FillValue(DataType dataType, byte[] bits)
    {
        DataType = dataType;
        _bits = bits;
    }

    public DataType DataType { get; }

    /// <summary>The element's bytes, little-endian.</summary>
    public ReadOnlyMemory<byte> Bits => _bits;

    /// <summary>True when every bit is zero (a new buffer is already filled with it).</summary>
    public bool IsZero => !_bits.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>The element as <see cref="NDBuffer"/> indexing returns it (<see cref="Complex"/>, <c>byte[]</c> for raw bits, ...).</summary>
    public object Value => NDBuffer.FromBytes(ByteBuffer.FromBytes(_bits), [], DataType).AsScalar();

    /// <summary>Zero of <paramref name="dataType"/> (false, 0, 0.0, all-zero raw bits): what an array gets when none is given.</summary>
    public static FillValue Default(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return new FillValue(dataType, new byte[dataType.ItemSize]);
    }

    /// <summary>
    /// <paramref name="value"/> as a fill value of <paramref name="dataType"/> (null: <see cref="Default"/>).
    /// Integers must fit the type; any NaN becomes the spec's <c>"NaN"</c> (positive, quiet, no payload).
    /// </summary>
    public static FillValue Of(DataType dataType, object? value)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        if (value is null)
        {
            return Default(dataType);
        }

        if (value is FillValue given)
        {
            return given.DataType == dataType
                ? given
                : throw new ArgumentException($"a fill value of {given.DataType} is not one of {dataType}", nameof(value));
        }

        switch (dataType.Kind)
        {
            case DataTypeKind.Bool when value is not bool:
                throw new ArgumentException($"a bool fill value is true or false, not {Describe(value)}", nameof(value));
            case DataTypeKind.SignedInteger or DataTypeKind.UnsignedInteger:
                if (!IsIntegral(value))
                {
                    throw new ArgumentException($"an {dataType} fill value is an integer, not {Describe(value)}", nameof(value));
                }

                return FromInteger(dataType, ToInt128(value)) ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is outside the range of {dataType}");
            case DataTypeKind.Float when IsNaN(value):
                return FromBits(dataType, CanonicalNaN(dataType.ItemSize));
            case DataTypeKind.Complex when value is Complex c:
                var part = dataType.ItemSize / 2;
                var bits = new byte[dataType.ItemSize];
                WriteFloat(bits.AsSpan(0, part), c.Real);
                WriteFloat(bits.AsSpan(part), c.Imaginary);
                return new FillValue(dataType, bits);
            case DataTypeKind.RawBits when value is not byte[]:
                throw new ArgumentException($"an {dataType} fill value is {dataType.ItemSize} bytes, not {Describe(value)}", nameof(value));
        }

        return new FillValue(dataType, NDBuffer.Create([], dataType, fillValue: value).ToBytes().ToArray());
    }

    /// <summary>The fill value whose element bytes (little-endian) are <paramref name="littleEndian"/>.</summary>
    public static FillValue FromBits(DataType dataType, ReadOnlySpan<byte> littleEndian)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return littleEndian.Length == dataType.ItemSize
            ? new FillValue(dataType, littleEndian.ToArray())
            : throw new ArgumentException($"an {dataType} element is {dataType.ItemSize} bytes, not {littleEndian.Length}", nameof(littleEndian));
    }

    /// <summary>Reads the <c>fill_value</c> of an array of <paramref name="dataType"/>; a message on failure.</summary>
    internal static FillValue Parse(JsonElement json, DataType dataType, Func<string, Exception> fail)
    {
        var bits = new byte[dataType.ItemSize];
        switch (dataType.Kind)
        {
            case DataTypeKind.Bool:
                bits[0] = json.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw fail($"fill_value {json.GetRawText()} is not a bool (true or false)"),
                };
                break;
            case DataTypeKind.SignedInteger or DataTypeKind.UnsignedInteger:
                Int128? integer = json.ValueKind != JsonValueKind.Number ? null
                    : json.TryGetInt64(out var signed) ? signed
                    : json.TryGetUInt64(out var unsigned) ? unsigned
                    : null;
                return (integer is { } value ? FromInteger(dataType, value) : null)
                    ?? throw fail($"fill_value {json.GetRawText()} is not an integer within the range of {dataType}");
            case DataTypeKind.Float:
                ParseFloat(json, bits, fail);
                break;
            case DataTypeKind.Complex:
                if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() != 2)
                {
                    throw fail($"fill_value {json.GetRawText()} of {dataType} is not a [real, imaginary] pair");
                }

                ParseFloat(json[0], bits.AsSpan(0, bits.Length / 2), fail);
                ParseFloat(json[1], bits.AsSpan(bits.Length / 2), fail);
                break;
            default:
                if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() != bits.Length)
                {
                    throw fail($"fill_value {json.GetRawText()} of {dataType} is not a list of {bits.Length} bytes");
                }

                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = json[i].ValueKind == JsonValueKind.Number && json[i].TryGetByte(out var b)
                        ? b
                        : throw fail($"fill_value {json.GetRawText()} of {dataType} holds {json[i].GetRawText()}, not a byte (0-255)");
                }

                break;
        }

        return new FillValue(dataType, bits);
    }

    /// <summary>Writes the spec's JSON encoding.</summary>
    internal void WriteJson(Utf8JsonWriter writer)
    {
        switch (DataType.Kind)
        {
            case DataTypeKind.Bool:
                writer.WriteBooleanValue(_bits[0] != 0);
                break;
            case DataTypeKind.SignedInteger or DataTypeKind.UnsignedInteger:
                writer.WriteRawValue(Value is IFormattable number ? number.ToString(null, CultureInfo.InvariantCulture) : "0");
                break;
            case DataTypeKind.Float:
                WriteFloat(writer, _bits);
                break;
            case DataTypeKind.Complex:
                writer.WriteStartArray();
                WriteFloat(writer, _bits.AsSpan(0, _bits.Length / 2));
                WriteFloat(writer, _bits.AsSpan(_bits.Length / 2));
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartArray();
                foreach (var b in _bits)
                {
                    writer.WriteNumberValue(b);
                }

                writer.WriteEndArray();
                break;
        }
    }

    public bool Equals(FillValue? other) => other is not null && other.DataType == DataType && other._bits.AsSpan().SequenceEqual(_bits);

    public override bool Equals(object? obj) => obj is FillValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DataType);
        hash.AddBytes(_bits);
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static FillValue? FromInteger(DataType dataType, Int128 value)
    {
        var bits = dataType.ItemSize * 8;
        var (min, max) = dataType.Kind == DataTypeKind.SignedInteger
            ? (-(Int128.One << (bits - 1)), (Int128.One << (bits - 1)) - 1)
            : (Int128.Zero, (Int128.One << bits) - 1);
        if (value < min || value > max)
        {
            return null;
        }

        var bytes = new byte[16];
        BinaryPrimitives.WriteInt128LittleEndian(bytes, value);
        return new FillValue(dataType, bytes[..dataType.ItemSize]);
    }

    private static void ParseFloat(JsonElement json, Span<byte> bits, Func<string, Exception> fail)
    {
        if (json.ValueKind == JsonValueKind.Number)
        {
            var text = json.GetRawText();
            switch (bits.Length)
            {
                case 2:
                    BinaryPrimitives.WriteHalfLittleEndian(bits, Half.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                    break;
                case 4:
                    BinaryPrimitives.WriteSingleLittleEndian(bits, float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(bits, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                    break;
            }

            return;
        }

        var word = json.ValueKind == JsonValueKind.String ? json.GetString()! : null;
        switch (word)
        {
            case "NaN":
                CanonicalNaN(bits.Length).CopyTo(bits);
                return;
            case "Infinity":
                WriteFloat(bits, double.PositiveInfinity);
                return;
            case "-Infinity":
                WriteFloat(bits, double.NegativeInfinity);
                return;
        }

        if (word is not null && word.Length == 2 + 2 * bits.Length && word.StartsWith("0x", StringComparison.Ordinal) &&
            UInt64.TryParse(word.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var raw))
        {
            Span<byte> all = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(all, raw);
            all[..bits.Length].CopyTo(bits);
            return;
        }

        throw fail($"fill_value {json.GetRawText()} is not a {bits.Length * 8}-bit float: a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"0x\" and {2 * bits.Length} hex digits");
    }

    private static void WriteFloat(Utf8JsonWriter writer, ReadOnlySpan<byte> bits)
    {
        var value = bits.Length switch
        {
            2 => (double)BinaryPrimitives.ReadHalfLittleEndian(bits),
            4 => BinaryPrimitives.ReadSingleLittleEndian(bits),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(bits),
        };
        if (double.IsNaN(value))
        {
            if (bits.SequenceEqual(CanonicalNaN(bits.Length)))
            {
                writer.WriteStringValue("NaN");
            }
            else
            {
                Span<byte> all = stackalloc byte[8];
                bits.CopyTo(all);
                var raw = BinaryPrimitives.ReadUInt64LittleEndian(all);
                writer.WriteStringValue("0x" + raw.ToString("x" + (2 * bits.Length).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            }

            return;
        }

        if (double.IsInfinity(value))
        {
            writer.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        // The shortest text that reads back as the same value at this precision, always with a fraction or
        // exponent (a bare "-0" would read back as the integer 0 in many JSON libraries).
        var text = bits.Length switch
        {
            2 => BinaryPrimitives.ReadHalfLittleEndian(bits).ToString("R", CultureInfo.InvariantCulture),
            4 => BinaryPrimitives.ReadSingleLittleEndian(bits).ToString("R", CultureInfo.InvariantCulture),
            _ => value.ToString("R", CultureInfo.InvariantCulture),
        };
        writer.WriteRawValue(text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? text : text + ".0");
    }

    private static void WriteFloat(Span<byte> bits, double value)
    {
        if (double.IsNaN(value))
        {
            CanonicalNaN(bits.Length).CopyTo(bits);
            return;
        }

        switch (bits.Length)
        {
            case 2:
                BinaryPrimitives.WriteHalfLittleEndian(bits, (Half)value);
                break;
            case 4:
                BinaryPrimitives.WriteSingleLittleEndian(bits, (float)value);
                break;
            default:
                BinaryPrimitives.WriteDoubleLittleEndian(bits, value);
                break;
        }
    }

    /// <summary>The spec's <c>"NaN"</c>: sign 0, the mantissa's top bit 1 and every other bit 0.</summary>
    private static byte[] CanonicalNaN(int size) => size switch
    {
        2 => [0x00, 0x7e],
        4 => [0x00, 0x00, 0xc0, 0x7f],
        _ => [0, 0, 0, 0, 0, 0, 0xf8, 0x7f],
    };

    private static Int128 ToInt128(object value) => value switch
    {
        ulong u => u,
        UInt128 u => u > (UInt128)Int128.MaxValue ? Int128.MaxValue : (Int128)u,
        Int128 i => i,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static bool IsIntegral(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or Int128 or UInt128;

    private static bool IsNaN(object value) => value switch
    {
        double d => double.IsNaN(d),
        float f => float.IsNaN(f),
        Half h => Half.IsNaN(h),
        _ => false,
    };

    private static string Describe(object value) => $"{value} ({value.GetType().Name})";
}
