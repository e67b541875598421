using Zarr.Actors.Bench.Measuring;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>contention: 64 callers on one key; set-if-absent must have exactly one winner per round.</summary>
internal static class Contention
{
    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var store = node.Store;
        var value = ByteBuffer.FromBytes(new byte[KiB]);
        var rounds = 0;
        var violations = 0;
        var setIfAbsent = await context.ThroughputAsync("SetIfNotExists, 64 callers on one key per round", "ops/s", async (caller, _, ct) =>
        {
            // Every caller races for the same round's key; the winner count is checked after the run.
            var round = Interlocked.Increment(ref rounds) / 64;
            await store.SetIfNotExistsAsync($"contention/r{round}", value, ct);
        });
        var winners = 0;
        for (var round = 0; round < 200; round++)
        {
            var attempts = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => store.SetIfNotExistsAsync($"check/r{round}", value))));
            winners += attempts.Count(won => won);
            violations += attempts.Count(won => won) == 1 ? 0 : 1;
        }

        var set = await context.ThroughputAsync("Set, 64 callers on one key", "ops/s", (_, _, ct) => store.SetAsync("contention/one", value, ct));
        return
        [
            setIfAbsent,
            set,
            Figure.Single($"rounds with exactly one winner (of 200; {winners} winners)", "rounds", 200 - violations),
        ];
    }
}
