using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Zarr.Actors.Bench.Measuring;
using Zarr.Actors.Host;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>
/// range-read: 64 KiB ranges at random offsets of large values on disk, 8 callers, in-process beside
/// positioned reads of the same files, and over HTTP beside static-file servers of the same files (Kestrel
/// and, when the machine has it, nginx); then the latency of a 100-byte range and of a version (a HEAD) of
/// a 100 MB value.
/// </summary>
internal static class RangeRead
{
    private const int Callers = 8;
    private const int RangeBytes = 64 * KiB;
    private const int ValueCount = 4;

    public static async Task<List<Figure>> RunAsync(BenchContext context)
    {
        using var directory = new TemporaryDirectory();
        var data = Path.Combine(directory.Path, "data");
        var size = context.Settings.RangeValueBytes;
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = data });
        var store = node.Store;

        // Written once through the store (durable: fsync, rename), in prefixes of their own, so each has its owner.
        var keys = Enumerable.Range(0, ValueCount).Select(i => $"range/p{i}/v").ToArray();
        var bytes = GC.AllocateUninitializedArray<byte>(size);
        Random.Shared.NextBytes(bytes);
        foreach (var key in keys)
        {
            await store.SetAsync(key, ByteBuffer.FromMemory(bytes));
        }

        bytes = null;
        var paths = keys.Select(k => Path.Combine(data, k)).ToArray();
        var handles = paths.Select(p => File.OpenHandle(p, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)).ToArray();
        try
        {
            var figures = new List<Figure>();
            var (inProcess, pread) = await InProcessAsync(context, store, keys, handles, size);
            figures.AddRange([inProcess, pread, Figure.Ratio("ratio_vs_pread (in-process; target >= 0.7)", inProcess, pread)]);
            figures.AddRange(await OverHttpAsync(context, store, keys, paths, data, directory.Path, size));
            figures.AddRange(await LatencyAsync(context, store, handles[0]));
            return figures;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
        }
    }

    private static long Offset(int size) => Random.Shared.NextInt64(0, size - RangeBytes + 1);

    private static async Task<(Figure Store, Figure Pread)> InProcessAsync(BenchContext context, IStore store, string[] keys, SafeFileHandle[] handles, int size)
    {
        var figures = await context.CompareThroughputAsync(
        [
            ("ActorStore.GetAsync of 64 KiB ranges at random offsets, 8 callers", (caller, i, ct) =>
            {
                var offset = Offset(size);
                return store.GetAsync(keys[(caller + i) % keys.Length], byteRange: new RangeByteRequest(offset, offset + RangeBytes), ct: ct);
            }),
            ("baseline: positioned reads (RandomAccess.Read) of the same files into a new 64 KiB array", (caller, i, _) =>
            {
                var buffer = GC.AllocateUninitializedArray<byte>(RangeBytes);
                RandomAccess.Read(handles[(caller + i) % handles.Length], buffer, Offset(size));
                return Task.CompletedTask;
            }),
        ], "MB/s", Callers, RangeBytes / 1e6);
        return (figures[0], figures[1]);
    }

    private static async Task<List<Figure>> OverHttpAsync(BenchContext context, IStore store, string[] keys, string[] paths, string data, string scratch, int size)
    {
        var gateway = GatewayHost.Build(store, new GatewayOptions(), "http://127.0.0.1:0");
        await gateway.StartAsync();
        var kestrel = await StaticFileServers.StartKestrelAsync(keys.Zip(paths).ToDictionary(p => p.First, p => p.Second));
        using var nginx = await StaticFileServers.StartNginxAsync(data, scratch);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Callers, UseProxy = false });
            Func<int, long, CancellationToken, Task> Ranges(Uri server) => async (caller, i, ct) =>
            {
                var offset = Offset(size);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/" + keys[(caller + i) % keys.Length]));
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, offset + RangeBytes - 1);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(Stream.Null, ct);
            };

            var workloads = new List<(string, Func<int, long, CancellationToken, Task>)>
            {
                ("gateway: Range GETs of 64 KiB, 8 connections", Ranges(GatewayHost.BaseAddress(gateway))),
                ("baseline: Kestrel sending the same ranges of the same files (SendFileAsync)", Ranges(GatewayHost.BaseAddress(kestrel))),
            };
            if (nginx is not null)
            {
                workloads.Add(("baseline: nginx serving the same files", Ranges(nginx.Url)));
            }
            else
            {
                Console.WriteLine("  nginx figure skipped: no nginx on this machine (apt-get install nginx-light adds it)");
            }

            var figures = await context.CompareThroughputAsync(workloads, "MB/s", Callers, RangeBytes / 1e6);
            var result = new List<Figure>(figures) { Figure.Ratio("ratio_vs_static_kestrel (HTTP)", figures[0], figures[1]) };
            if (nginx is not null)
            {
                result.Add(Figure.Ratio("ratio_vs_nginx (HTTP)", figures[0], figures[2]));
            }

            return result;
        }
        finally
        {
            await gateway.StopAsync();
            await kestrel.StopAsync();
        }
    }

    private static async Task<List<Figure>> LatencyAsync(BenchContext context, ActorStore store, SafeFileHandle anyFile)
    {
        var size = context.Settings.LargeLatencyValueBytes;
        const string key = "latency/large/v";
        await store.SetAsync(key, ByteBuffer.FromMemory(GC.AllocateUninitializedArray<byte>(size)));
        var label = size >= 1_000_000 ? $"{size / 1_000_000} MB" : $"{size / 1_000} kB";
        return await context.CompareLatencyAsync(
        [
            ($"100-byte range at a random offset of a {label} value, in-process", _ =>
            {
                var offset = Random.Shared.NextInt64(0, size - 100);
                return store.GetAsync(key, byteRange: new RangeByteRequest(offset, offset + 100));
            }),
            ($"version alone (what HEAD asks) of a {label} value, in-process", _ => store.GetVersionAsync(key)),
            ("baseline: positioned read of 100 bytes", _ =>
            {
                RandomAccess.Read(anyFile, new byte[100], Random.Shared.NextInt64(0, 1_000_000));
                return Task.CompletedTask;
            }),
        ]);
    }
}
