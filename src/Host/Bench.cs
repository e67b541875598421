using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Zarr.Actors.Sharding;
using Zarr.Buffers;

namespace Zarr.Actors.Host;

/// <summary>
/// The benchmarks: each scenario measured beside the baseline that bounds it, in the same run, so
/// ratios hold on a noisy shared machine. Warm-up first, then rounds; the median and the spread are
/// reported, with the peak working set seen during the scenario.
/// </summary>
public static class Bench
{
    private const int KiB = 1024;
    private const int MiB = 1024 * 1024;

    public static readonly string[] Scenarios =
        ["small-inproc", "latency-inproc", "large-inproc", "contention", "disk-large", "disk-small", "http-large", "http-small", "cluster"];

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var quick = false;
        string? json = null;
        var selected = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < arguments.Count:
                    json = arguments[++i];
                    break;
                case "--scenario" when i + 1 < arguments.Count && Scenarios.Contains(arguments[i + 1]):
                    selected.Add(arguments[++i]);
                    break;
                case "--scenario" when i + 1 < arguments.Count:
                    Console.Error.WriteLine($"error: --scenario: unknown scenario '{arguments[i + 1]}' (one of {string.Join(", ", Scenarios)})");
                    return 2;
                default:
                    Console.Error.WriteLine($"error: bench: unexpected argument '{arguments[i]}' (bench [--quick] [--json <file>] [--scenario <name>])");
                    return 2;
            }
        }

        var settings = quick ? BenchSettings.Quick : BenchSettings.Full;
        var results = new List<ScenarioResult>();
        var context = new BenchContext(settings);
        Console.WriteLine($"Zarr.Actors bench ({(quick ? "quick" : "full")}): {settings.Rounds} rounds of {settings.Round.TotalSeconds:0.##} s after a warm-up, " +
                          $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        foreach (var name in selected.Count > 0 ? selected.ToArray() : Scenarios)
        {
            Console.WriteLine($"... {name}");
            var result = await RunScenarioAsync(name, context);
            results.Add(result);
            Print(result);
        }

        if (json is not null)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
            {
                date = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                quick,
                cores = Environment.ProcessorCount,
                scenarios = results,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {json}");
        }

        return 0;
    }

    private static async Task<ScenarioResult> RunScenarioAsync(string name, BenchContext context)
    {
        using var peak = new PeakWorkingSet();
        var figures = name switch
        {
            "small-inproc" => await SmallInProcessAsync(context),
            "latency-inproc" => await LatencyAsync(context),
            "large-inproc" => await LargeInProcessAsync(context),
            "contention" => await ContentionAsync(context),
            "disk-large" => await DiskLargeAsync(context),
            "disk-small" => await DiskSmallAsync(context),
            "http-large" => await HttpAsync(context, MiB, connections: 8, puts: false),
            "http-small" => await HttpAsync(context, KiB, connections: 32, puts: true),
            "cluster" => await ClusterAsync(context),
            _ => throw new ArgumentException(name),
        };
        return new ScenarioResult(name, figures, peak.Stop() / (double)MiB);
    }

    // ---- scenarios --------------------------------------------------------------------------------

    private static async Task<List<Figure>> SmallInProcessAsync(BenchContext context)
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

    private static async Task<List<Figure>> LatencyAsync(BenchContext context)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        return await context.CompareLatencyAsync(
        [
            ("ActorStore get/set, one caller", SequentialWorkload(node.Store)),
            ("baseline: MemoryStore", SequentialWorkload(new MemoryStore())),
            ("ceiling: bare Ask", BareAskOnce(node.System)),
        ]);
    }

    private static async Task<List<Figure>> LargeInProcessAsync(BenchContext context)
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

    private static async Task<List<Figure>> ContentionAsync(BenchContext context)
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

    private static async Task<List<Figure>> DiskLargeAsync(BenchContext context)
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
                Task<double> Store() => TimeAsync(async () =>
                {
                    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                        async (i, ct) => await node.Store.SetAsync($"arr/c/{i % 8}/{i}", buffer, ct));
                });
                Task<double> Raw() => TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    (i, _) => { RawDurableWrite(Path.Combine(root, "raw", (i % 8).ToString(CultureInfo.InvariantCulture)), i.ToString(CultureInfo.InvariantCulture), value); return ValueTask.CompletedTask; }));
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
            DropPageCache(root);
            await using (var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = Path.Combine(root, "store") }))
            {
                var read = await TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    async (i, ct) => await node.Store.GetAsync($"arr/c/{i % 8}/{i}", ct: ct)));
                var rawRead = await TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
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

    private static async Task<List<Figure>> DiskSmallAsync(BenchContext context)
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
                RawDurableWrite(Path.Combine(rawDirectory, (caller % 16).ToString(CultureInfo.InvariantCulture)), $"w{caller}-{i % 50}", raw);
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
                    RawGroupCommit(Path.Combine(rawDirectory, "group" + (caller % 16).ToString(CultureInfo.InvariantCulture)), $"w{caller}-{i % 12}", raw, 4);
                    return Task.CompletedTask;
                }, callers: 16, scale: 4));
        }

        return result;
    }

    private static async Task<List<Figure>> HttpAsync(BenchContext context, int size, int connections, bool puts)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 64; i++)
        {
            await node.Store.SetAsync($"http/p{i % 8}/k{i}", ByteBuffer.FromMemory(payload));
        }

        var gateway = GatewayHost.Build(node.Store, new GatewayOptions(), "http://127.0.0.1:0");
        var ceiling = WebApplication.CreateSlimBuilder();
        ceiling.Logging.ClearProviders();
        ceiling.WebHost.UseUrls("http://127.0.0.1:0");
        var ceilingApp = ceiling.Build();
        ceilingApp.Run(async http =>
        {
            if (HttpMethods.IsPut(http.Request.Method))
            {
                await http.Request.Body.CopyToAsync(Stream.Null);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            http.Response.ContentLength = payload.Length;
            await http.Response.Body.WriteAsync(payload);
        });
        await gateway.StartAsync();
        await ceilingApp.StartAsync();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false });
            var gatewayUrl = GatewayHost.BaseAddress(gateway);
            var ceilingUrl = GatewayHost.BaseAddress(ceilingApp);
            Func<int, long, CancellationToken, Task> Requests(Uri baseUrl) => async (caller, i, ct) =>
            {
                var key = (caller + i) % 64;
                var url = new Uri(baseUrl, $"/http/p{key % 8}/k{key}");
                if (puts && i % 2 == 1)
                {
                    using var put = await client.PutAsync(url, new ByteArrayContent(payload), ct);
                    put.EnsureSuccessStatusCode();
                }
                else
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
                    response.EnsureSuccessStatusCode();
                    await response.Content.CopyToAsync(Stream.Null, ct);
                }
            };

            var label = size >= MiB ? "1 MiB GETs" : "1 KiB GETs and PUTs";
            var unit = size >= MiB ? "MB/s" : "requests/s";
            var scale = size >= MiB ? size / 1e6 : 1.0;
            var figures = await context.CompareThroughputAsync(
            [
                ($"gateway: {label}, {connections} connections", Requests(gatewayUrl)),
                ("ceiling: Kestrel serving one byte array, same load", Requests(ceilingUrl)),
            ], unit, connections, scale);
            var (served, bound) = (figures[0], figures[1]);
            return [served, bound, Figure.Ratio($"ratio (target >= {(size >= MiB ? "0.6" : "0.5")})", served, bound)];
        }
        finally
        {
            await gateway.StopAsync();
            await ceilingApp.StopAsync();
        }
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

    private static async Task<List<Figure>> ClusterAsync(BenchContext context)
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

    // ---- workloads --------------------------------------------------------------------------------

    private static Func<int, long, CancellationToken, Task> MixedWorkload(IStore store, int size, int keys, string root = "bench")
    {
        var values = Enumerable.Range(0, 4).Select(_ => ByteBuffer.FromMemory(new byte[size])).ToArray();
        return (caller, i, ct) =>
        {
            // Exactly `keys` keys, spread over 100 prefixes; every caller visits all of them (17 is
            // prime to the key counts used), sets on one parity and gets on the other, so gets read
            // what other callers wrote.
            var k = (caller * 31 + i * 17) % keys;
            var key = $"{root}/p{k % 100}/k{k}";
            return i % 2 == 0
                ? store.SetAsync(key, values[i % values.Length], ct)
                : store.GetAsync(key, ct: ct);
        };
    }

    private static Func<long, Task> SequentialWorkload(IStore store)
    {
        var value = ByteBuffer.FromMemory(new byte[KiB]);
        return i => i % 2 == 0 ? store.SetAsync($"latency/p{i % 10}/k{i % 100}", value) : store.GetAsync($"latency/p{i % 10}/k{(i - 1) % 100}");
    }

    private static Func<int, long, CancellationToken, Task> BareAsk(ActorSystem system)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        return (_, i, _) => echo.Ask<object>(i, TimeSpan.FromSeconds(10));
    }

    private static Func<long, Task> BareAskOnce(ActorSystem system)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        return i => echo.Ask<object>(i, TimeSpan.FromSeconds(10));
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    // ---- measuring --------------------------------------------------------------------------------

    private static void RawDurableWrite(string directory, string name, byte[] bytes)
    {
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + name + "." + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture));
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        Backends.NativeFileSystem.SyncDirectory(directory);
    }

    /// <summary><paramref name="count"/> files written, made durable together (one syncfs), renamed, and the directory synced once.</summary>
    private static void RawGroupCommit(string directory, string name, byte[] bytes, int count)
    {
        Directory.CreateDirectory(directory);
        var thread = Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture);
        var temporaries = new string[count];
        for (var f = 0; f < count; f++)
        {
            temporaries[f] = Path.Combine(directory, $".{name}-{f}.{thread}");
            using var file = new FileStream(temporaries[f], FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(bytes);
        }

        Backends.NativeFileSystem.TrySyncFileSystem(directory);
        for (var f = 0; f < count; f++)
        {
            File.Move(temporaries[f], Path.Combine(directory, $"{name}-{f}"), overwrite: true);
        }

        Backends.NativeFileSystem.SyncDirectory(directory);
    }

    /// <summary>Asks the kernel to drop cached pages of the files (best effort; needs no privileges to be skipped).</summary>
    private static void DropPageCache(string root)
    {
        try
        {
            File.WriteAllText("/proc/sys/vm/drop_caches", "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            // Not root, or not Linux: the reads are warm then, for the store and the baseline alike.
        }
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Print(ScenarioResult result)
    {
        Console.WriteLine($"{result.Scenario} (peak working set {result.PeakWorkingSetMiB:0} MiB)");
        foreach (var figure in result.Figures)
        {
            var spread = figure.Min == figure.Max ? string.Empty : $"  [{Format(figure.Min)} .. {Format(figure.Max)}]";
            Console.WriteLine($"  {figure.Name,-72} {Format(figure.Median),12} {figure.Unit}{spread}");
        }
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One reported number: the median of its rounds, their spread, and every round's value in order.</summary>
    public sealed record Figure(string Name, string Unit, double Median, double Min, double Max, int Rounds, IReadOnlyList<double> Values)
    {
        public static Figure Of(string name, string unit, IReadOnlyList<double> rounds) =>
            new(name, unit, Bench.Median(rounds), rounds.Min(), rounds.Max(), rounds.Count, rounds.ToArray());

        public static Figure Single(string name, string unit, double value) => new(name, unit, value, value, value, 1, [value]);

        /// <summary>
        /// <paramref name="measured"/> over <paramref name="bound"/>, round by round: both were measured in
        /// alternating rounds, so each round's pair saw the same stretch of a noisy machine, and the median of
        /// the pairs' ratios is steadier than the ratio of the two medians.
        /// </summary>
        public static Figure Ratio(string name, Figure measured, Figure bound)
        {
            if (measured.Values.Count != bound.Values.Count)
            {
                throw new ArgumentException($"ratio '{name}': {measured.Values.Count} rounds against {bound.Values.Count}");
            }

            return Of(name, "x", measured.Values.Zip(bound.Values, (m, b) => m / b).ToArray());
        }
    }

    public sealed record ScenarioResult(string Scenario, IReadOnlyList<Figure> Figures, double PeakWorkingSetMiB);

    public sealed record BenchSettings(int Rounds, TimeSpan Round, TimeSpan WarmUp, int MaxWarmUpRounds, int Keys, int LargeKeys, int DiskLargeValues, int LatencySamples)
    {
        public static BenchSettings Full { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 15, 10_000, 256, 128, 20_000);

        public static BenchSettings Quick { get; } = new(1, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(100), 1, 1_000, 32, 8, 500);
    }

    private sealed class BenchContext(BenchSettings settings)
    {
        public BenchSettings Settings { get; } = settings;

        public int Keys => Settings.Keys;

        /// <summary>small-inproc's median, the yardstick of later scenarios.</summary>
        public double? SmallInProcess { get; set; }

        /// <summary>Operations per second of <paramref name="callers"/> looping on <paramref name="operation"/>.</summary>
        public async Task<Figure> ThroughputAsync(string name, string unit, Func<int, long, CancellationToken, Task> operation, int callers = 64, double scale = 1.0) =>
            (await CompareThroughputAsync([(name, operation)], unit, callers, scale))[0];

        /// <summary>
        /// Operations per second of each workload, measured side by side: every workload is warmed up
        /// first (so none is measured while the JIT still tiers up the code they share), then the
        /// rounds alternate between them, so a noisy stretch of the machine hits them all alike.
        /// </summary>
        public async Task<List<Figure>> CompareThroughputAsync(IReadOnlyList<(string Name, Func<int, long, CancellationToken, Task> Operation)> workloads,
            string unit, int callers = 64, double scale = 1.0)
        {
            foreach (var (_, operation) in workloads)
            {
                await WarmUpAsync(callers, operation);
            }

            var rounds = workloads.Select(_ => new List<double>()).ToList();
            for (var round = 0; round < Settings.Rounds; round++)
            {
                for (var w = 0; w < workloads.Count; w++)
                {
                    var (operations, seconds) = await RunForAsync(Settings.Round, callers, workloads[w].Operation);
                    rounds[w].Add(operations / seconds * scale);
                }
            }

            return workloads.Select((workload, w) => Figure.Of(workload.Name, unit, rounds[w])).ToList();
        }

        /// <summary>
        /// Runs <paramref name="operation"/> in rounds of <see cref="BenchSettings.WarmUp"/> until it stops getting
        /// faster: two rounds in a row no more than 5% above the best before them (at most
        /// <see cref="BenchSettings.MaxWarmUpRounds"/> rounds). On 2 busy cores the JIT's background tier-up is
        /// starved, so code can run unoptimized for many seconds: most of all the remoting path of the
        /// cluster scenario, measured 3x slower after a fixed 3 s warm-up than with tiering off.
        /// </summary>
        private async Task WarmUpAsync(int callers, Func<int, long, CancellationToken, Task> operation)
        {
            var best = 0.0;
            var stale = 0;
            for (var round = 0; round < Settings.MaxWarmUpRounds && stale < 2; round++)
            {
                var (operations, seconds) = await RunForAsync(Settings.WarmUp, callers, operation);
                var rate = operations / seconds;
                if (rate > best * 1.05)
                {
                    best = rate;
                    stale = 0;
                }
                else
                {
                    stale++;
                }
            }
        }

        /// <summary>
        /// Median and p99 of one caller's sequential operations, in microseconds, for each workload:
        /// all warmed up first, then rounds alternating between them (as <see cref="CompareThroughputAsync"/>).
        /// </summary>
        public async Task<List<Figure>> CompareLatencyAsync(IReadOnlyList<(string Name, Func<long, Task> Operation)> workloads)
        {
            foreach (var (_, operation) in workloads)
            {
                for (var i = 0; i < Settings.LatencySamples / 4; i++)
                {
                    await operation(i);
                }
            }

            var medians = workloads.Select(_ => new List<double>()).ToList();
            var p99s = workloads.Select(_ => new List<double>()).ToList();
            var samples = new double[Settings.LatencySamples];
            for (var round = 0; round < Settings.Rounds; round++)
            {
                for (var w = 0; w < workloads.Count; w++)
                {
                    for (var i = 0; i < samples.Length; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await workloads[w].Operation(i);
                        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }

                    Array.Sort(samples);
                    medians[w].Add(samples[samples.Length / 2]);
                    p99s[w].Add(samples[(int)(samples.Length * 0.99)]);
                }
            }

            return workloads
                .SelectMany((workload, w) => new[] { Figure.Of(workload.Name + ", median", "µs", medians[w]), Figure.Of(workload.Name + ", p99", "µs", p99s[w]) })
                .ToList();
        }

        private static async Task<(long Operations, double Seconds)> RunForAsync(TimeSpan duration, int callers, Func<int, long, CancellationToken, Task> operation)
        {
            long total = 0;
            var watch = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
            {
                long done = 0;

                // A deadline each worker reads itself: a synchronous store (MemoryStore) never yields,
                // and would starve the timer a cancellation token needs. The yield every 64 operations
                // lets the actor system's own work (heartbeats, the scheduler) run on a 2-core machine.
                while (watch.Elapsed < duration)
                {
                    await operation(caller, done, CancellationToken.None);
                    if (++done % 64 == 0)
                    {
                        await Task.Yield();
                    }
                }

                Interlocked.Add(ref total, done);
            })).ToArray();
            await Task.WhenAll(workers);
            return (total, watch.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Samples the process's working set while a scenario runs and keeps the largest.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            var current = process.WorkingSet64;
            long seen;
            while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
            {
            }
        }
    }

    private sealed class TemporaryDirectory : IDisposable
    {
        public TemporaryDirectory() => Path = Directory.CreateTempSubdirectory("zarr-bench-").FullName;

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
