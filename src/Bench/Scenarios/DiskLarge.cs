using System.Globalization;
using Zarr.Actors.Bench.Measuring;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>disk-large: durable 1 MiB writes and cold reads, beside raw file writes and reads of the same sizes.</summary>
internal static class DiskLarge
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        using var directory = new TemporaryDirectory();
        var count = context.Settings.DiskLargeValues;
        var value = new byte[MiB];
        Random.Shared.NextBytes(value);
        var buffer = ByteBuffer.FromMemory(value);
        var writes = new List<double>();
        var rawWrites = new List<double>();
        var reads = new List<double>();
        var rawReads = new List<double>();
        for (var round = 0; round <= context.Settings.Rounds; round++)
        {
            var root = Path.Combine(directory.Path, $"round{round}");
            await using (var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = Path.Combine(root, "store") }))
            {
                // Whichever writes second competes with the first one's write-back: alternate the order.
                Task<double> Store() => BenchContext.TimeAsync(async () =>
                {
                    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                        async (i, ct) => await node.Store.SetAsync($"arr/c/{i % 8}/{i}", buffer, ct));
                });
                Task<double> Raw() => BenchContext.TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    (i, _) => { RawDisk.DurableWrite(Path.Combine(root, "raw", (i % 8).ToString(CultureInfo.InvariantCulture)), i.ToString(CultureInfo.InvariantCulture), value); return ValueTask.CompletedTask; }));
                double write, rawWrite;
                if (round % 2 == 0)
                {
                    write = await Store();
                    rawWrite = await Raw();
                }
                else
                {
                    rawWrite = await Raw();
                    write = await Store();
                }

                if (round > 0)
                {
                    writes.Add(count * (double)MiB / write / 1e6);
                    rawWrites.Add(count * (double)MiB / rawWrite / 1e6);
                }
            }

            // Cold reads: a new node on the same directory, each file read once.
            RawDisk.DropPageCache(root);
            await using (var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = Path.Combine(root, "store") }))
            {
                var read = await BenchContext.TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    async (i, ct) => await node.Store.GetAsync($"arr/c/{i % 8}/{i}", ct: ct)));
                var rawRead = await BenchContext.TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    async (i, ct) => await File.ReadAllBytesAsync(Path.Combine(root, "raw", (i % 8).ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)), ct)));
                if (round > 0)
                {
                    reads.Add(count * (double)MiB / read / 1e6);
                    rawReads.Add(count * (double)MiB / rawRead / 1e6);
                }
            }

            Directory.Delete(root, recursive: true);
        }

        var storeWrites = Figure.Of("durable 1 MiB writes, 8 writers", "MB/s", writes);
        var rawWriteBound = Figure.Of("baseline: raw write+fsync+rename, same sizes, same directory", "MB/s", rawWrites);
        var storeReads = Figure.Of("reads on a fresh node", "MB/s", reads);
        var rawReadBound = Figure.Of("baseline: raw file reads", "MB/s", rawReads);
        return
        [
            storeWrites, rawWriteBound, Figure.Ratio("ratio (target >= 0.7)", storeWrites, rawWriteBound),
            storeReads, rawReadBound, Figure.Ratio("ratio (target >= 0.7)", storeReads, rawReadBound),
        ];
    }
}
