using System.Diagnostics;
using System.Runtime;
using Akka.Actor;
using Zarr.Actors.Bench.Measuring;
using Zarr.Actors.Sharding.Relay;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Measuring.Workloads;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>cluster: two nodes, callers on node A, with the relay and (in alternating rounds) without it.</summary>
internal static class Cluster
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        var (first, second) = await StartPairAsync(null);
        await using var firstNode = first;
        await using var secondNode = second;

        // The same pair again, with the relay off: every request to node B through the shard region,
        // the way the relay replaces. Both pairs are measured round by round, side by side.
        var (firstOff, secondOff) = await StartPairAsync("zarr-actors.relay-remote-requests = off");
        await using var firstOffNode = firstOff;
        await using var secondOffNode = secondOff;

        // Where the prefixes live decides how many operations cross the network: report it.
        var (shardsOnA, shardsOnB) = (await ShardCountAsync(first), await ShardCountAsync(second));
        var relay = RemoteRelay.Get(first.System);
        var relayedBefore = relay.RelayedRequests;
        using var smallPhase = new PeakWorkingSet();
        var compared = await context.CompareThroughputAsync(
        [
            ("1 KiB get/set from node A, keys on both nodes, 64 callers", MixedWorkload(first.Store, KiB, context.Keys, "cluster")),
            ("baseline: the same with the relay off (each remote request through the shard region)", MixedWorkload(firstOff.Store, KiB, context.Keys, "cluster")),
        ], "ops/s");
        var small = compared[0];
        var smallPeak = smallPhase.Stop() / (double)MiB;
        var (liveAfterSmall, liveManagedAfterSmall) = WorkingSetOfLive();
        var relayed = relay.RelayedRequests - relayedBefore;
        var (shardsOnAAfter, shardsOnBAfter) = (await ShardCountAsync(first), await ShardCountAsync(second));
        using var largePhase = new PeakWorkingSet();
        var large = await context.ThroughputAsync("1 MiB get/set from node A, keys on both nodes, 64 callers", "MB/s",
            MixedWorkload(first.Store, MiB, context.Settings.LargeKeys, "cluster"), scale: MiB / 1e6);
        var largePeak = largePhase.Stop() / (double)MiB;
        var (liveAfterLarge, liveManagedAfterLarge) = WorkingSetOfLive();

        // What a 1 MiB operation between nodes allocates, in the whole process (both nodes): the copies
        // that serialization and the transport make, which set the working set under load.
        var perOperation = await AllocatedPerOperationAsync(first.Store, MiB, 400, "large") / MiB;
        var perSmall = await AllocatedPerOperationAsync(first.Store, KiB, 20_000, "small");
        var perSmallOff = await AllocatedPerOperationAsync(firstOff.Store, KiB, 20_000, "small");

        var reference = context.SmallInProcess;
        var figures = new List<Figure>
        {
            small,
            compared[1],
            Figure.Ratio("relay: small ops/s with it / without it", small, compared[1]),
            Figure.Single("small requests sent through the relay (all rounds, incl. warm-up)", "requests", relayed),
            Figure.Single("of all relayed so far, handed back by B (owner not listed there) and sent via the region", "requests", relay.ReturnedRequests),
            large,
            Figure.Single("peak working set during the 1 KiB runs (both pairs)", "MiB", smallPeak),
            Figure.Single("working set right after them, once a full compacting GC has run", "MiB", liveAfterSmall),
            Figure.Single("of which live managed objects", "MiB", liveManagedAfterSmall),
            Figure.Single("peak working set during the 1 MiB run", "MiB", largePeak),
            Figure.Single("working set right after it, once a full compacting GC has run", "MiB", liveAfterLarge),
            Figure.Single($"of which live managed objects ({context.Settings.LargeKeys} keys of 1 MiB stored, B's in arrays of their own)", "MiB", liveManagedAfterLarge),
            Figure.Single("target >= 50000 small ops/s", "ops/s", small.Median),
            Figure.Single("target >= 300 MB/s large", "MB/s", large.Median),
            Figure.Single("allocated per 1 MiB operation, both nodes (in MiB)", "MiB", perOperation),
            Figure.Single("allocated per 1 KiB operation, both nodes", "bytes", perSmall),
            Figure.Single("allocated per 1 KiB operation, both nodes, relay off", "bytes", perSmallOff),
            Figure.Single("shards on node A, before the small run", "shards", shardsOnA),
            Figure.Single("shards on node B, before the small run", "shards", shardsOnB),
            Figure.Single("shards on node A, after the small run", "shards", shardsOnAAfter),
            Figure.Single("shards on node B, after the small run", "shards", shardsOnBAfter),
        };
        if (reference is { } inProcess)
        {
            figures.Add(Figure.Single("ratio of small to small-inproc", "x", small.Median / inProcess));
        }

        return figures;
    }

    /// <summary>
    /// Bytes allocated in the whole process (both nodes) per get or set of <paramref name="size"/> bytes
    /// from node A, over keys of every prefix: what serialization and the transport cost in garbage.
    /// </summary>
    private static async Task<double> AllocatedPerOperationAsync(IStore store, int size, int operations, string name)
    {
        var value = ByteBuffer.FromMemory(new byte[size]);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await Parallel.ForEachAsync(Enumerable.Range(0, operations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var key = $"cluster/p{i % 100}/{name}{i % 16}";
            if (i % 2 == 0)
            {
                await store.SetAsync(key, value, ct);
            }
            else
            {
                await store.GetAsync(key, ct: ct);
            }
        });
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)operations;
    }

    /// <summary>Two nodes forming one cluster, every shard allocated (each over one of the two).</summary>
    private static async Task<(StoreNode First, StoreNode Second)> StartPairAsync(string? extraConfig)
    {
        var first = await StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = extraConfig });
        var second = await StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = extraConfig, SeedNodes = [$"127.0.0.1:{first.Address.Port}"] });
        while (Akka.Cluster.Cluster.Get(first.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) < 2)
        {
            await Task.Delay(100);
        }

        // Touch every prefix once, so shards are allocated over both nodes before measuring.
        for (var p = 0; p < 100; p++)
        {
            await first.Store.SetAsync($"cluster/p{p}/warm", ByteBuffer.Empty);
        }

        return (first, second);
    }

    /// <summary>The working set and the live managed bytes (in MiB) once a full compacting collection has run: what is left when garbage is gone.</summary>
    private static (double WorkingSet, double Managed) WorkingSetOfLive()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: false) / (double)MiB;
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64 / (double)MiB, managed);
    }

    private static async Task<int> ShardCountAsync(StoreNode node)
    {
        var region = Akka.Cluster.Sharding.ClusterSharding.Get(node.System).ShardRegion(ActorStore.TypeName);
        var state = await region.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        return state.Shards.Count;
    }
}
