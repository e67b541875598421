using System.Numerics;

namespace Zarr.Buffers;

/// <summary>Zarr's comparison of a buffer with a scalar or a buffer (is this chunk all fill value?).</summary>
public partial class NDBuffer
{
    /// <summary>
    /// True when every element equals <paramref name="other"/> (a scalar, or a buffer of the same shape),
    /// zarr's test of whether a chunk holds only the fill value. Null is never equal; a floating-point
    /// zero is compared bit for bit after conversion to this type (so <c>-0.0</c> is not <c>+0.0</c> in a
    /// float array, but is <c>0</c> in an integer one); NaN equals NaN when <paramref name="equalNan"/>
    /// (never for raw bits); an empty array is all equal.
    /// </summary>
    public bool AllEqual(object? other, bool equalNan = true)
    {
        if (other is null)
        {
            return false;
        }

        if (other is NDBuffer buffer)
        {
            return AllEqualElementwise(buffer, equalNan);
        }

        if (Size == 0)
        {
            return true;
        }

        if (!DataType.IsRaw && Elements.IsFloating(other) && Elements.ToDouble(other) == 0.0)
        {
            return AllBitsEqual(other);
        }

        var bytes = Bytes;
        for (var at = 0; at < bytes.Length; at += ItemSize)
        {
            if (!ElementEquals(bytes.Slice(at, ItemSize), DataType, other, equalNan))
            {
                return false;
            }
        }

        return true;
    }

    private bool AllBitsEqual(object zero)
    {
        Span<byte> converted = stackalloc byte[ItemSize];
        Elements.Write(converted, DataType, zero);
        var bytes = Bytes;
        for (var at = 0; at < bytes.Length; at += ItemSize)
        {
            if (!bytes.Slice(at, ItemSize).SequenceEqual(converted))
            {
                return false;
            }
        }

        return true;
    }

    private bool AllEqualElementwise(NDBuffer other, bool equalNan)
    {
        if (!other.Shape.SequenceEqual(Shape))
        {
            return false;
        }

        using var mine = OffsetsInCOrder().GetEnumerator();
        using var theirs = other.OffsetsInCOrder().GetEnumerator();
        while (mine.MoveNext() && theirs.MoveNext())
        {
            var value = Elements.Read(other.Bytes.Slice(theirs.Current, other.ItemSize), other.DataType);
            if (!ElementEquals(Bytes.Slice(mine.Current, ItemSize), DataType, value, equalNan))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ElementEquals(ReadOnlySpan<byte> element, DataType type, object other, bool equalNan)
    {
        if (type.IsRaw)
        {
            return other is byte[] raw && element.SequenceEqual(raw);
        }

        if (other is byte[] or string)
        {
            return false;
        }

        if (type.IsComplex || other is Complex)
        {
            var a = Elements.ReadComplex(element, type);
            var b = Elements.ToComplex(other);
            return a == b || (equalNan && IsNaN(a) && IsNaN(b));
        }

        if ((type.IsInteger || type.Kind == DataTypeKind.Bool) && (Elements.IsIntegral(other) || other is bool))
        {
            return Elements.ReadInteger(element, type) == Elements.ToInteger(other);
        }

        var x = Elements.ReadDouble(element, type);
        var y = Elements.ToDouble(other);
        return x == y || (equalNan && double.IsNaN(x) && double.IsNaN(y));
    }

    private static bool IsNaN(Complex value) => double.IsNaN(value.Real) || double.IsNaN(value.Imaginary);
}
