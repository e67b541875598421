using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// Reads a box of an array: the chunks (or shards) it overlaps, concurrently; missing chunks and empty
/// inner chunks read as the fill value. A shard the box covers in part is read by byte ranges.
/// </summary>
internal static class RegionReader
{
    public static async Task<NDBuffer> ReadAsync(ArrayChunks chunks, long[] start, int[] shape, CancellationToken ct)
    {
        var output = chunks.NewChunk(shape);
        var cells = chunks.Grid.CellsIn(start, shape).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = chunks.Options.MaxConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(cells, parallel, async (cell, token) =>
        {
            var key = chunks.KeyOf(cell.Index);
            if (chunks.Shards is null)
            {
                var bytes = await chunks.Store.GetAsync(key, ct: token).ConfigureAwait(false);
                if (bytes is not null)
                {
                    Regions.Copy(chunks.Decode(bytes, key), cell.CellStart, output, cell.RegionStart, cell.Extent);
                }
            }
            else
            {
                await ReadShardAsync(chunks, cell, key, output, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return output;
    }

    private static async Task ReadShardAsync(ArrayChunks chunks, GridCell shard, string key, NDBuffer output, CancellationToken ct)
    {
        var inner = chunks.InnerCells(shard).ToList();
        Dictionary<int, ByteBuffer?>? encoded;
        if (shard.Covered)
        {
            // Every inner chunk is wanted: one read of the whole shard.
            var bytes = await chunks.Store.GetAsync(key, ct: ct).ConfigureAwait(false);
            if (bytes is null)
            {
                return;
            }

            var index = chunks.ReadIndex(key, bytes);
            encoded = inner.ToDictionary(cell => (int)cell.Linear, cell => Actors.Shards.ShardFormat.InnerChunk(bytes, index, (int)cell.Linear));
        }
        else
        {
            encoded = await chunks.ReadInnerChunksAsync(key, inner.Select(cell => (int)cell.Linear).ToArray(), ct).ConfigureAwait(false);
        }

        if (encoded is null)
        {
            return;
        }

        foreach (var cell in inner)
        {
            if (encoded[(int)cell.Linear] is { } bytes)
            {
                var chunk = chunks.DecodeInner(bytes, key, (int)cell.Linear);
                var at = shard.RegionStart.Zip(cell.RegionStart, (outer, within) => outer + within).ToArray();
                Regions.Copy(chunk, cell.CellStart, output, at, cell.Extent);
            }
        }
    }
}
