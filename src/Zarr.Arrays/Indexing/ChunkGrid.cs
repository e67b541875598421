namespace Zarr.Arrays;

/// <summary>
/// A regular grid of cells over an extent: an array's chunks (or shards), or a shard's inner chunks.
/// Walks the cells a box overlaps, saying for each what part of the cell and of the box they share.
/// </summary>
internal sealed class ChunkGrid
{
    private readonly long[] _extent;
    private readonly int[] _cell;

    /// <param name="extent">The in-bounds extent: cells past it are never visited, and cells are clipped to it.</param>
    /// <param name="cellShape">The shape of one cell.</param>
    /// <param name="gridShape">The grid's shape for linear indices (default: the cells <paramref name="extent"/> needs).</param>
    public ChunkGrid(long[] extent, int[] cellShape, long[]? gridShape = null)
    {
        _extent = extent;
        _cell = cellShape;
        GridShape = gridShape ?? extent.Select((length, axis) => (length + cellShape[axis] - 1) / cellShape[axis]).ToArray();
    }

    /// <summary>The number of cells along each axis.</summary>
    public long[] GridShape { get; }

    public int[] CellShape => _cell;

    /// <summary>Every in-bounds cell, whole.</summary>
    public IEnumerable<GridCell> Cells() => CellsIn(new long[_extent.Length], _extent.Select(length => (int)Math.Min(length, int.MaxValue)).ToArray());

    /// <summary>The cells that the box at <paramref name="start"/> of <paramref name="shape"/> overlaps, in C order.</summary>
    public IEnumerable<GridCell> CellsIn(long[] start, int[] shape)
    {
        var rank = _extent.Length;
        if (shape.Any(length => length == 0))
        {
            yield break;
        }

        var first = new long[rank];
        var last = new long[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            first[axis] = start[axis] / _cell[axis];
            last[axis] = (start[axis] + shape[axis] - 1) / _cell[axis];
        }

        var index = (long[])first.Clone();
        while (true)
        {
            yield return CellAt(index, start, shape);
            var axis = rank - 1;
            for (; axis >= 0; axis--)
            {
                if (++index[axis] <= last[axis])
                {
                    break;
                }

                index[axis] = first[axis];
            }

            if (axis < 0)
            {
                yield break;
            }
        }
    }

    private GridCell CellAt(long[] index, long[] start, int[] shape)
    {
        var rank = index.Length;
        var cellStart = new int[rank];
        var regionStart = new int[rank];
        var extent = new int[rank];
        var inBounds = new int[rank];
        long linear = 0;
        for (var axis = 0; axis < rank; axis++)
        {
            var origin = index[axis] * _cell[axis];
            var low = Math.Max(origin, start[axis]);
            var high = Math.Min(origin + _cell[axis], start[axis] + shape[axis]);
            cellStart[axis] = (int)(low - origin);
            regionStart[axis] = (int)(low - start[axis]);
            extent[axis] = (int)(high - low);
            inBounds[axis] = (int)Math.Min(_cell[axis], _extent[axis] - origin);
            linear = linear * GridShape[axis] + index[axis];
        }

        return new GridCell((long[])index.Clone(), linear, cellStart, regionStart, extent, inBounds);
    }
}

/// <summary>
/// One cell of a <see cref="ChunkGrid"/> walk: its grid index and C-order linear index, where the shared
/// part starts in the cell and in the box, its shape, and the cell's own in-bounds shape.
/// </summary>
internal sealed record GridCell(long[] Index, long Linear, int[] CellStart, int[] RegionStart, int[] Extent, int[] InBounds)
{
    /// <summary>True when the box covers every in-bounds element of the cell.</summary>
    public bool Covered => Extent.AsSpan().SequenceEqual(InBounds) && CellStart.All(s => s == 0);
}
