using System.Runtime.InteropServices;
using Zarr.Actors.Bench.Measuring;
using Zarr.Actors.Host;
using Zarr.Arrays;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>
/// shard-writes (issue 14): 16 writers each write their own inner chunks of the same 4 shards, through the
/// shard owner's merge, through the compare-and-set retry loop (<c>If-Match</c>, as TensorStore does) and
/// through a naive read-modify-write of whole shards (what zarr-python and most Zarr clients do), in-process
/// on an <see cref="ActorStore"/> (through <see cref="ZarrArray"/>) and over HTTP (plain requests: PATCH, or
/// GET then PUT). First rounds in lockstep, each checked inner chunk by inner chunk (lost writes counted),
/// then throughput in inner chunks per second, the three ways in alternating rounds.
/// </summary>
internal static class ShardWrites
{
    public const int Writers = 16;
    public const int Shards = 4;

    /// <summary>An inner chunk is 2 rows of this many int32 (8 KiB); a shard is 16 inner chunks stacked.</summary>
    public const int Width = 1024;

    private const int RoundFactor = 10_000_000;

    /// <summary>Writes <c>writer</c>'s inner chunk of shard <c>shard</c> with round <c>round</c>'s values.</summary>
    public delegate Task ShardWrite(int writer, int shard, int round, CancellationToken ct);

    public static readonly string[] Strategies = ["merge", "compare_and_set", "naive"];

    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        // 20 rounds in a full run, 4 with --quick; each round writes 64 inner chunks per strategy.
        var rounds = Math.Max(4, context.Settings.Rounds * 4);
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var gateway = GatewayHost.Build(node.Store, new GatewayOptions(), "http://127.0.0.1:0");
        await gateway.StartAsync();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers, UseProxy = false })
            {
                BaseAddress = GatewayHost.BaseAddress(gateway),
            };

            var inProcess = new Dictionary<string, ShardWrite>();
            var overHttp = new Dictionary<string, ShardWrite>();
            var http = new ShardWritesOverHttp(client);
            foreach (var (strategy, partial) in new[] { ("merge", PartialShardWrites.Merge), ("compare_and_set", PartialShardWrites.CompareAndSet), ("naive", PartialShardWrites.ReadModifyWrite) })
            {
                inProcess[strategy] = await InProcessAsync(node.Store, $"bench/inproc/{strategy}", partial);
                var path = $"bench/http/{strategy}";
                await ZarrArray.CreateAsync(node.Store, path, Metadata());
                overHttp[strategy] = http.Writer(path, strategy);
            }

            var lost = new Dictionary<string, (int InProcess, int Http)>();
            foreach (var strategy in Strategies)
            {
                lost[strategy] = (await LostAsync(inProcess[strategy], node.Store, $"bench/inproc/{strategy}", rounds),
                                  await LostAsync(overHttp[strategy], node.Store, $"bench/http/{strategy}", rounds));
                Console.WriteLine($"  {strategy}: {lost[strategy].InProcess} (in-process) and {lost[strategy].Http} (HTTP) of {rounds * Writers * Shards} inner chunk writes lost each");
            }

            var writes = rounds * Writers * Shards;
            var figures = new List<Figure>
            {
                Figure.Single("lost_merge", "inner chunks", lost["merge"].InProcess + lost["merge"].Http),
                Figure.Single("lost_naive", "inner chunks", lost["naive"].InProcess + lost["naive"].Http),
                Figure.Single("lost_compare_and_set", "inner chunks", lost["compare_and_set"].InProcess + lost["compare_and_set"].Http),
                Figure.Single($"inner chunk writes checked per strategy and way ({rounds} rounds of {Writers} writers x {Shards} shards)", "inner chunks", writes),
            };
            foreach (var strategy in Strategies)
            {
                figures.Add(Figure.Single($"lost_{strategy}, in-process ActorStore", "inner chunks", lost[strategy].InProcess));
                figures.Add(Figure.Single($"lost_{strategy}, over HTTP", "inner chunks", lost[strategy].Http));
            }

            figures.AddRange(await ThroughputAsync(context, "in-process ActorStore (ZarrArray.WriteAsync)", inProcess));
            figures.AddRange(await ThroughputAsync(context, "over HTTP (PATCH; GET + PUT If-Match; GET + PUT)", overHttp));
            figures.Add(Figure.Single("compare-and-set over HTTP: 412 answers per inner chunk written", "retries", http.RetriesPerWrite));
            return figures;
        }
        finally
        {
            await gateway.StopAsync();
        }
    }

    /// <summary>The bench's array: 32 x 4096 int32 in 4 shards of 32 x 1024, each 16 inner chunks of 2 x 1024 (raw little-endian).</summary>
    public static ArrayMetadata Metadata() =>
        new([2 * Writers, Shards * Width], DataType.Int32, [2 * Writers, Width], fillValue: -1, codecs: [new ShardingCodec([2, Width], [new BytesCodec()])]);

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>) of a writer's inner chunk: it names the round, the writer and the place.</summary>
    public static int Value(int round, int writer, int row, int column) => round * RoundFactor + writer * 100_000 + row * 10_000 + column;

    /// <summary>Writer <paramref name="writer"/>'s inner chunk of <paramref name="shard"/> in round <paramref name="round"/>: 2 x <see cref="Width"/> int32.</summary>
    public static NDBuffer InnerChunk(int round, int writer, int shard)
    {
        var chunk = NDBuffer.Create([2, Width], DataType.Int32);
        var values = MemoryMarshal.Cast<byte, int>(chunk.AsArrayLike().Bytes.Span);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(round, writer, i / Width, shard * Width + i % Width);
        }

        return chunk;
    }

    private static async Task<ShardWrite> InProcessAsync(IStore store, string path, PartialShardWrites strategy)
    {
        await ZarrArray.CreateAsync(store, path, Metadata());
        var arrays = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => ZarrArray.OpenAsync(store, path, new ArrayOptions { PartialShardWrites = strategy })));
        var cached = new NDBuffer[Writers, Shards];
        return (writer, shard, round, ct) =>
        {
            // Throughput rounds (round 0) reuse one buffer per inner chunk; the checked rounds make theirs.
            var values = round > 0 ? InnerChunk(round, writer, shard) : cached[writer, shard] ??= InnerChunk(0, writer, shard);
            return arrays[writer].WriteAsync([2L * writer, (long)shard * Width], values, ct);
        };
    }

    /// <summary>
    /// Rounds in lockstep: every writer writes its inner chunk of every shard at once, then the array is read
    /// back and each inner chunk that does not hold this round's values counted as lost.
    /// </summary>
    private static async Task<int> LostAsync(ShardWrite write, IStore store, string path, int rounds)
    {
        var array = await ZarrArray.OpenAsync(store, path);
        var lost = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                await start.Task;
                await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => write(writer, shard, round, CancellationToken.None)));
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(writers);

            var read = await array.ReadAsync();
            var values = MemoryMarshal.Cast<byte, int>(read.AsArrayLike().Bytes.Span);
            for (var writer = 0; writer < Writers; writer++)
            {
                for (var shard = 0; shard < Shards; shard++)
                {
                    lost += values[2 * writer * Shards * Width + shard * Width] == Value(round, writer, 0, shard * Width) ? 0 : 1;
                }
            }
        }

        return lost;
    }

    /// <summary>Inner chunks written per second by 16 writers, each strategy in alternating rounds; the merge against the others.</summary>
    private static async Task<List<Figure>> ThroughputAsync(BenchContext context, string way, Dictionary<string, ShardWrite> writes)
    {
        var names = new Dictionary<string, string>
        {
            ["merge"] = "merge by the shard's owner",
            ["compare_and_set"] = "compare-and-set, retried (If-Match)",
            ["naive"] = "naive read-modify-write (loses inner chunks)",
        };
        var figures = await context.CompareThroughputAsync(
            Strategies.Select(strategy => ($"{way}: {names[strategy]}, {Writers} writers, {Shards} shards",
                (Func<int, long, CancellationToken, Task>)((caller, i, ct) => writes[strategy](caller, (int)((caller + i) % Shards), 0, ct)))).ToList(),
            "inner chunks/s", Writers);
        figures.Add(Figure.Ratio($"{way}: merge / compare-and-set", figures[0], figures[1]));
        figures.Add(Figure.Ratio($"{way}: merge / naive read-modify-write", figures[0], figures[2]));
        return figures;
    }
}
