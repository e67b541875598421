using System.Globalization;
using Zarr.Actors.Bench.Measuring;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>disk-small: durable 4 KiB writes of 64 callers, beside a raw write+fsync+rename loop and the bound of group commit.</summary>
internal static class DiskSmall
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        using var directory = new TemporaryDirectory();
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = Path.Combine(directory.Path, "store") });
        var value = ByteBuffer.FromMemory(new byte[4 * KiB]);
        var raw = new byte[4 * KiB];
        var rawDirectory = Path.Combine(directory.Path, "raw");
        var figures = await context.CompareThroughputAsync(
        [
            ("durable 4 KiB writes, 64 callers", (caller, i, ct) => node.Store.SetAsync($"small/p{caller % 16}/w{caller}-{i % 50}", value, ct)),
            ("baseline: raw write+fsync+rename loop, 64 threads", (caller, i, _) =>
            {
                RawDisk.DurableWrite(Path.Combine(rawDirectory, (caller % 16).ToString(CultureInfo.InvariantCulture)), $"w{caller}-{i % 50}", raw);
                return Task.CompletedTask;
            }),
        ], "writes/s");
        var (store, baseline) = (figures[0], figures[1]);
        var result = new List<Figure> { store, baseline, Figure.Single("target >= 3000 writes/s", "writes/s", store.Median) };

        // What group commit could reach on this disk: 16 threads each write 4 files, make all of them
        // durable with one syncfs, rename them, and sync the directory once (2 syncs per 4 writes, not 8).
        if (OperatingSystem.IsLinux())
        {
            result.Add(await context.ThroughputAsync("bound of group commit: raw, 4 files per syncfs + directory fsync, 16 threads", "writes/s",
                (caller, i, _) =>
                {
                    RawDisk.GroupCommit(Path.Combine(rawDirectory, "group" + (caller % 16).ToString(CultureInfo.InvariantCulture)), $"w{caller}-{i % 12}", raw, 4);
                    return Task.CompletedTask;
                }, callers: 16, scale: 4));
        }

        return result;
    }
}
