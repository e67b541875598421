using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// Copies and checks of rectangular parts of <see cref="NDBuffer"/>s straight on their bytes, a contiguous
/// run at a time where both layouts allow (the per-element indexer would cost a call per element).
/// </summary>
internal static class Regions
{
    /// <summary>A new C-order buffer of <paramref name="shape"/> holding <paramref name="fill"/> everywhere.</summary>
    public static NDBuffer Filled(int[] shape, DataType dataType, FillValue fill)
    {
        var buffer = NDBuffer.Create(shape, dataType);
        if (!fill.IsZero)
        {
            var bytes = buffer.AsArrayLike().Bytes.Span;
            var element = fill.Bits.Span;
            if (bytes.Length > 0)
            {
                element.CopyTo(bytes);
                // Doubling copies: log2(n) calls instead of one per element.
                for (var filled = element.Length; filled < bytes.Length; filled *= 2)
                {
                    bytes[..Math.Min(filled, bytes.Length - filled)].CopyTo(bytes[filled..]);
                }
            }
        }

        return buffer;
    }

    /// <summary>True when every element's bytes are the fill value's bytes (zarr's test for a chunk it need not store).</summary>
    public static bool IsAllFill(NDBuffer buffer, FillValue fill)
    {
        var bytes = buffer.AsArrayLike().Bytes.Span;
        var element = fill.Bits.Span;
        if (element.Length == 1 || !element.ContainsAnyExcept(element[0]))
        {
            return !bytes.ContainsAnyExcept(element[0]);
        }

        for (var at = 0; at < bytes.Length; at += element.Length)
        {
            if (!bytes.Slice(at, element.Length).SequenceEqual(element))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new C-order copy of the box at <paramref name="start"/> of <paramref name="shape"/> in <paramref name="source"/>.</summary>
    public static NDBuffer Extract(NDBuffer source, int[] start, int[] shape)
    {
        var result = NDBuffer.Create(shape, source.DataType);
        Copy(source, start, result, new int[shape.Length], shape);
        return result;
    }

    /// <summary>The same elements in <paramref name="order"/>'s layout.</summary>
    public static NDBuffer InOrder(NDBuffer source, ArrayOrder order)
    {
        if (source.Order == order)
        {
            return source;
        }

        var shape = source.Shape.ToArray();
        var result = NDBuffer.Create(shape, source.DataType, order);
        Copy(source, new int[shape.Length], result, new int[shape.Length], shape);
        return result;
    }

    /// <summary>
    /// Copies the box of <paramref name="shape"/> at <paramref name="sourceStart"/> in <paramref name="source"/>
    /// to <paramref name="targetStart"/> in <paramref name="target"/> (same data type, any layouts).
    /// </summary>
    public static void Copy(NDBuffer source, ReadOnlySpan<int> sourceStart, NDBuffer target, ReadOnlySpan<int> targetStart, ReadOnlySpan<int> shape)
    {
        if (source.DataType != target.DataType)
        {
            throw new ArgumentException($"cannot copy {source.DataType} elements into a {target.DataType} buffer");
        }

        var rank = shape.Length;
        foreach (var length in shape)
        {
            if (length == 0)
            {
                return;
            }
        }

        var item = source.DataType.ItemSize;
        var from = source.AsArrayLike().Bytes.Span;
        var to = target.AsArrayLike().Bytes.Span;
        var fromStrides = Strides(source.Shape, source.Order);
        var toStrides = Strides(target.Shape, target.Order);
        if (rank == 0)
        {
            from[..item].CopyTo(to);
            return;
        }

        var inner = rank - 1;
        var contiguous = fromStrides[inner] == 1 && toStrides[inner] == 1;
        var runBytes = shape[inner] * item;
        Span<int> index = stackalloc int[rank];
        while (true)
        {
            long fromAt = 0;
            long toAt = 0;
            for (var axis = 0; axis < rank; axis++)
            {
                fromAt += (long)(sourceStart[axis] + index[axis]) * fromStrides[axis];
                toAt += (long)(targetStart[axis] + index[axis]) * toStrides[axis];
            }

            if (contiguous)
            {
                from.Slice((int)(fromAt * item), runBytes).CopyTo(to.Slice((int)(toAt * item), runBytes));
            }
            else
            {
                for (var i = 0; i < shape[inner]; i++)
                {
                    from.Slice((int)((fromAt + (long)i * fromStrides[inner]) * item), item)
                        .CopyTo(to.Slice((int)((toAt + (long)i * toStrides[inner]) * item), item));
                }
            }

            // Next index over every axis but the innermost, in C order.
            var axisToStep = inner - 1;
            for (; axisToStep >= 0; axisToStep--)
            {
                if (++index[axisToStep] < shape[axisToStep])
                {
                    break;
                }

                index[axisToStep] = 0;
            }

            if (axisToStep < 0)
            {
                return;
            }
        }
    }

    private static int[] Strides(IReadOnlyList<int> shape, ArrayOrder order)
    {
        var strides = new int[shape.Count];
        var stride = 1;
        if (order == ArrayOrder.C)
        {
            for (var axis = shape.Count - 1; axis >= 0; axis--)
            {
                strides[axis] = stride;
                stride *= Math.Max(shape[axis], 1);
            }
        }
        else
        {
            for (var axis = 0; axis < shape.Count; axis++)
            {
                strides[axis] = stride;
                stride *= Math.Max(shape[axis], 1);
            }
        }

        return strides;
    }
}
