using Zarr.Actors.Bench.Measuring;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Measuring.Workloads;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>large-inproc: 1 MiB gets and sets on one node, and the bytes a call allocates (the facade must not copy values).</summary>
internal static class LargeInProcess
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var keys = context.Settings.LargeKeys;
        var throughput = await context.ThroughputAsync("ActorStore 1 MiB get/set, 64 callers", "ops/s", MixedWorkload(node.Store, MiB, keys));
        var small = context.SmallInProcess ?? (await context.ThroughputAsync("small-inproc (for the ratio)", "ops/s", MixedWorkload(node.Store, KiB, context.Keys))).Median;

        // Allocation per operation, values made once beforehand: the facade must not copy them.
        var values = Enumerable.Range(0, 8).Select(_ => ByteBuffer.FromMemory(new byte[MiB])).ToArray();
        var store = node.Store;
        const int operations = 4000;
        for (var i = 0; i < 200; i++)
        {
            await store.SetAsync($"alloc/p{i % 16}/k{i % 64}", values[i % values.Length]);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < operations; i++)
        {
            if (i % 2 == 0)
            {
                await store.SetAsync($"alloc/p{i % 16}/k{i % 64}", values[i % values.Length]);
            }
            else
            {
                await store.GetAsync($"alloc/p{i % 16}/k{i % 64}");
            }
        }

        var perOperation = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)operations;
        return
        [
            throughput,
            Figure.Single("ratio to small-inproc (target >= 0.8)", "x", throughput.Median / small),
            Figure.Single("allocated per operation, 1 MiB values (target <= 2048)", "bytes", perOperation),
        ];
    }
}
