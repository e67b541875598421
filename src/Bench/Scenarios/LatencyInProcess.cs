using Zarr.Actors.Bench.Measuring;
using static Zarr.Actors.Bench.Measuring.Workloads;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>latency-inproc: one caller's get/set latency, beside MemoryStore and a bare Ask.</summary>
internal static class LatencyInProcess
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        return await context.CompareLatencyAsync(
        [
            ("ActorStore get/set, one caller", SequentialWorkload(node.Store)),
            ("baseline: MemoryStore", SequentialWorkload(new MemoryStore())),
            ("ceiling: bare Ask", BareAskOnce(node.System)),
        ]);
    }
}
