using System.Text;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>
/// Several nodes, one store: any node serves any key, atomicity holds across nodes, large values
/// cross in pieces, and a node that leaves takes nothing with it.
/// </summary>
public sealed class ClusterStoreTests : Akka.TestKit.Xunit2.TestKit
{
    private static ByteBuffer Text(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    [Fact(DisplayName = "32 writers through two nodes: every node lists and reads every key")]
    public async Task WritersThroughDifferentNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var stores = cluster.Nodes.Select(n => n.Store).ToArray();
        var keys = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(writer => Task.Run(async () =>
        {
            var store = stores[writer % stores.Length];
            for (var i = 0; i < 20; i++)
            {
                var key = $"g/a{writer % 8}/c/{writer}/{i}";
                await store.SetAsync(key, Text(key));
                lock (keys)
                {
                    keys.Add(key);
                }
            }
        })));

        foreach (var store in stores)
        {
            Assert.Equal(keys.Order(), (await store.ListAsync().ToListAsync()).Order());
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"a{i}").Order(), (await store.ListDirAsync("g").ToListAsync()).Order());
            var values = await store.GetPartialValuesAsync(null, keys.Select(k => (k, (ByteRequest?)null)));
            Assert.Equal(keys, values.Select(v => Encoding.UTF8.GetString(v!.Span)));
        }

        Assert.Equal(keys.Sum(k => (long)Encoding.UTF8.GetByteCount(k)), await stores[1].GetSizePrefixAsync("g"));
        await stores[0].DeleteDirAsync("g/a3");
        Assert.Equal(7, (await stores[1].ListDirAsync("g").ToListAsync()).Count);
        await Assert.ThrowsAsync<InvalidKeyException>(() => stores[1].SetAsync("g/a1/c/1/0/below-a-key", Text("x")));
    }

    [Fact(DisplayName = "SetIfNotExists races across nodes have exactly one winner, every round")]
    public async Task SetIfNotExistsAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var stores = cluster.Nodes.Select(n => n.Store).ToArray();
        for (var round = 0; round < 40; round++)
        {
            var key = $"race/r{round}/zarr.json";
            using var start = new ManualResetEventSlim();
            var attempts = Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
            {
                start.Wait();
                return await stores[caller % 2].SetIfNotExistsAsync(key, Text($"caller {caller}"));
            })).ToArray();
            start.Set();
            var won = await Task.WhenAll(attempts);

            var winner = Assert.Single(Enumerable.Range(0, 32), i => won[i]);
            foreach (var store in stores)
            {
                Assert.Equal($"caller {winner}", Encoding.UTF8.GetString((await store.GetAsync(key))!.Span));
            }
        }
    }

    [Fact(DisplayName = "A 64 MiB value crosses nodes in pieces, both ways, whole and in ranges")]
    public async Task LargeValueAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (near, far) = (cluster.Nodes[0].Store, cluster.Nodes[1].Store);
        var prefix = await FirstPrefixOwnedElsewhereAsync(near);
        var bytes = new byte[64 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        var key = prefix + "/big";

        await near.SetAsync(key, ByteBuffer.FromMemory(bytes));
        Assert.Equal(bytes.Length, await near.GetSizeAsync(key));
        Assert.True((await near.GetAsync(key))!.Span.SequenceEqual(bytes), "read back through the writing node");
        Assert.True((await far.GetAsync(key))!.Span.SequenceEqual(bytes), "read on the owning node");

        var range = await near.GetAsync(key, byteRange: new RangeByteRequest(1_000_000, 11_000_000));
        Assert.True(range!.Span.SequenceEqual(bytes.AsSpan(1_000_000, 10_000_000)));
        var suffix = await near.GetAsync(key, byteRange: new SuffixByteRequest(5_000_000));
        Assert.True(suffix!.Span.SequenceEqual(bytes.AsSpan(bytes.Length - 5_000_000)));

        var partial = await near.GetPartialValuesAsync(null, [(key, new OffsetByteRequest(60_000_000)), (key, null)]);
        Assert.True(partial[0]!.Span.SequenceEqual(bytes.AsSpan(60_000_000)));
        Assert.True(partial[1]!.Span.SequenceEqual(bytes));
        Assert.False(await near.SetIfNotExistsAsync(key, ByteBuffer.FromMemory(new byte[8 * 1024 * 1024])));
    }

    [Fact(DisplayName = "Refusals by an owner on another node reach the caller as the contract's exceptions")]
    public async Task RemoteRefusalsKeepTheirType()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var near = cluster.Nodes[0].Store;
        var prefix = await FirstPrefixOwnedElsewhereAsync(near);

        await near.SetAsync($"{prefix}/dir/x", Text("x"));
        var directory = await Assert.ThrowsAsync<InvalidKeyException>(() => near.SetAsync($"{prefix}/dir", Text("y")));
        Assert.Contains($"{prefix}/dir", directory.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => near.GetSizeAsync($"{prefix}/missing"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => near.SetAsync($"{prefix}/dir/x/below", Text("z")));
    }

    [Fact(DisplayName = "A node leaving mid-load on a shared data directory loses no acknowledged write")]
    public async Task NodeLeavingLosesNothing()
    {
        var directory = Directory.CreateTempSubdirectory("zarr-leave-");
        try
        {
            var cluster = await ClusterNodes.StartAsync(3, directory.FullName, requestTimeout: TimeSpan.FromSeconds(8));
            var stores = cluster.Nodes.Take(2).Select(n => n.Store).ToArray();
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"load/p{(writer + i) % 24}/w{writer}-{i}";
                    try
                    {
                        await stores[writer % 2].SetAsync(key, Text(key));
                        acknowledged.Add(key);
                    }
                    catch (StoreUnavailableException)
                    {
                        // Lost in a hand-off: not acknowledged, so the writer may try again, as clients do.
                        i--;
                    }
                }
            })).ToArray();

            // Let the load reach every node's owners, then take the third node out gracefully.
            await AwaitAssertAsync(() => Assert.True(acknowledged.Count >= 500), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
            await cluster.Nodes[2].DisposeAsync();
            var afterLeave = acknowledged.Count;
            await AwaitAssertAsync(() => Assert.True(acknowledged.Count >= afterLeave + 300, $"{acknowledged.Count - afterLeave} writes since the leave"),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

            await stop.CancelAsync();
            await Task.WhenAll(writers);

            foreach (var store in stores)
            {
                var listed = (await store.ListPrefixAsync("load/").ToListAsync()).ToHashSet();
                Assert.Superset(acknowledged.ToHashSet(), listed);
            }

            foreach (var key in acknowledged.Take(400))
            {
                Assert.Equal(key, Encoding.UTF8.GetString((await stores[1].GetAsync(key))!.Span));
            }

            await cluster.Nodes[1].DisposeAsync();
            await cluster.Nodes[0].DisposeAsync();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static async Task<string> FirstPrefixOwnedElsewhereAsync(ActorStore store)
    {
        var runtime = new StoreRuntime(store.System, Akka.Cluster.Sharding.ClusterSharding.Get(store.System).ShardRegion(ActorStore.TypeName), TimeSpan.FromSeconds(10));
        for (var i = 0; ; i++)
        {
            var location = (OwnerLocation)await runtime.AskAsync(new LocateOwner($"big{i}"), "locate", $"big{i}", CancellationToken.None);
            if (location.Owner.Path.Address.HasGlobalScope)
            {
                return $"big{i}";
            }
        }
    }
}
