using System.Globalization;

namespace Zarr.Buffers;

/// <summary>Shape arithmetic shared by the n-d types.</summary>
internal static class NDShape
{
    public static int[] Validate(ReadOnlySpan<int> shape)
    {
        foreach (var length in shape)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"shape {Format(shape.ToArray())} has a negative length");
            }
        }

        return shape.ToArray();
    }

    public static int Size(IReadOnlyList<int> shape)
    {
        var size = 1;
        foreach (var length in shape)
        {
            size = checked(size * length);
        }

        return size;
    }

    /// <summary>Element strides (in elements) of <paramref name="shape"/> laid out in <paramref name="order"/>.</summary>
    public static int[] Strides(IReadOnlyList<int> shape, ArrayOrder order)
    {
        var strides = new int[shape.Count];
        var stride = 1;
        if (order == ArrayOrder.C)
        {
            for (var i = shape.Count - 1; i >= 0; i--)
            {
                strides[i] = stride;
                stride *= Math.Max(shape[i], 1);
            }
        }
        else
        {
            for (var i = 0; i < shape.Count; i++)
            {
                strides[i] = stride;
                stride *= Math.Max(shape[i], 1);
            }
        }

        return strides;
    }

    /// <summary>Advances <paramref name="index"/> to the next index in C order; false after the last.</summary>
    public static bool Next(int[] index, IReadOnlyList<int> shape)
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

    public static string Format(IReadOnlyList<int> shape) =>
        shape.Count == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", shape.Select(l => l.ToString(CultureInfo.InvariantCulture))) + ")";
}
