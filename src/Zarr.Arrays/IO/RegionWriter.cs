using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// Writes a box of an array in two steps, so that a chunk that does not decode fails the write before
/// anything is stored: first every chunk (or shard, or inner chunk) is built and encoded, reading the
/// ones the box covers only in part; then the stores happen, concurrently. A chunk left holding only the
/// fill value is deleted rather than stored (zarr-python's default, <c>write_empty_chunks=false</c>).
/// </summary>
internal static class RegionWriter
{
    public static async Task WriteAsync(ArrayChunks chunks, long[] start, NDBuffer values, CancellationToken ct)
    {
        var shape = values.Shape.ToArray();
        var cells = chunks.Grid.CellsIn(start, shape).ToList();
        var pending = new PendingWrite[cells.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = chunks.Options.MaxConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, cells.Count), parallel, async (i, token) =>
        {
            var cell = cells[i];
            var key = chunks.KeyOf(cell.Index);
            pending[i] = chunks.Shards is not null && !cell.Covered
                ? await PrepareInnerChunksAsync(chunks, cell, key, values, token).ConfigureAwait(false)
                : await PrepareChunkAsync(chunks, cell, key, values, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var updater = new ShardUpdater(chunks);
        await Parallel.ForEachAsync(pending, parallel, async (write, token) =>
        {
            switch (write)
            {
                case PendingWrite.Set set:
                    await chunks.Store.SetAsync(set.Key, set.Bytes, token).ConfigureAwait(false);
                    break;
                case PendingWrite.Delete delete:
                    await chunks.Store.DeleteAsync(delete.Key, token).ConfigureAwait(false);
                    break;
                case PendingWrite.Merge merge:
                    await updater.MergeAsync(merge.Key, merge.Chunks, token).ConfigureAwait(false);
                    break;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>A whole chunk (or shard): built from the values, completed from the stored one when covered in part.</summary>
    private static async Task<PendingWrite> PrepareChunkAsync(ArrayChunks chunks, GridCell cell, string key, NDBuffer values, CancellationToken ct)
    {
        NDBuffer chunk;
        if (cell.Covered)
        {
            chunk = chunks.NewChunk(chunks.Chain.Spec.Shape);
        }
        else
        {
            var stored = await chunks.Store.GetAsync(key, ct: ct).ConfigureAwait(false);
            chunk = stored is null ? chunks.NewChunk(chunks.Chain.Spec.Shape) : chunks.Decode(stored, key);
        }

        Regions.Copy(values, cell.RegionStart, chunk, cell.CellStart, cell.Extent);
        return chunks.IsFill(chunk) ? new PendingWrite.Delete(key) : new PendingWrite.Set(key, chunks.Chain.Encode(chunk));
    }

    /// <summary>The inner chunks of a shard that the box overlaps, encoded (null where only fill is left).</summary>
    private static async Task<PendingWrite> PrepareInnerChunksAsync(ArrayChunks chunks, GridCell shard, string key, NDBuffer values, CancellationToken ct)
    {
        var inner = chunks.InnerCells(shard).ToList();
        var partial = inner.Where(cell => !cell.Covered).Select(cell => (int)cell.Linear).ToArray();
        var stored = partial.Length > 0 ? await chunks.ReadInnerChunksAsync(key, partial, ct).ConfigureAwait(false) : null;
        var innerShape = chunks.Shards!.Inner.Spec.Shape;
        var encoded = new List<ShardChunk>(inner.Count);
        foreach (var cell in inner)
        {
            var index = (int)cell.Linear;
            var chunk = !cell.Covered && stored?[index] is { } bytes ? chunks.DecodeInner(bytes, key, index) : chunks.NewChunk(innerShape);
            var from = shard.RegionStart.Zip(cell.RegionStart, (outer, within) => outer + within).ToArray();
            Regions.Copy(values, from, chunk, cell.CellStart, cell.Extent);
            encoded.Add(new ShardChunk(index, chunks.IsFill(chunk) ? null : chunks.EncodeInner(chunk)));
        }

        return new PendingWrite.Merge(key, encoded);
    }
}

/// <summary>One store operation a write will make.</summary>
internal abstract record PendingWrite(string Key)
{
    public sealed record Set(string Key, ByteBuffer Bytes) : PendingWrite(Key);

    public sealed record Delete(string Key) : PendingWrite(Key);

    /// <summary>Some inner chunks of the shard at <see cref="PendingWrite.Key"/>.</summary>
    public sealed record Merge(string Key, IReadOnlyList<ShardChunk> Chunks) : PendingWrite(Key);
}
