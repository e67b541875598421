using Zarr.Actors.Bench.Measuring;
using static Zarr.Actors.Bench.Measuring.Workloads;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>small-inproc: 1 KiB gets and sets of 64 callers on one node, beside MemoryStore and a bare Ask.</summary>
internal static class SmallInProcess
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var figures = await context.CompareThroughputAsync(
        [
            ("ActorStore 1 KiB get/set, 64 callers", MixedWorkload(node.Store, KiB, context.Keys)),
            ("baseline: MemoryStore, same mix", MixedWorkload(new MemoryStore(), KiB, context.Keys)),
            ("ceiling: bare Ask to an actor doing nothing", BareAsk(node.System)),
        ], "ops/s");
        context.SmallInProcess = figures[0].Median;
        figures.Add(Figure.Ratio("ratio to the bare-Ask ceiling (target >= 0.5)", figures[0], figures[2]));
        return figures;
    }
}
