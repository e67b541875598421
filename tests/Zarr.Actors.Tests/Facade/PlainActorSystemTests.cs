using Akka.Actor;
using Zarr.Actors.Protocol;
using Zarr.Actors.Tests.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Facade;

/// <summary>
/// <see cref="ActorStore.StartAsync"/> on an actor system the application created itself, configured with
/// nothing of the store's: the path the README shows.
/// </summary>
public sealed class PlainActorSystemTests : IAsyncLifetime
{
    private const string Minimal = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.remote.dot-netty.tcp.maximum-frame-size = 8 MiB
        """;

    private readonly List<ActorSystem> _systems = [];

    private ActorSystem Create(string config = Minimal, string name = "app")
    {
        var system = ActorSystem.Create(name, config);
        _systems.Add(system);
        return system;
    }

    private static async Task JoinedAsync(ActorSystem system, Address? seed = null)
    {
        var cluster = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(seed ?? cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact(DisplayName = "On a system made from a minimal cluster config, StartAsync and a join give a working store")]
    public async Task MinimalSystemServes()
    {
        var system = Create();
        var store = await ActorStore.StartAsync(system);
        await JoinedAsync(system);

        await store.SetAsync("group/array/c/0/3", ByteBuffer.FromBytes("hello, zarr"u8));
        var head = await store.GetAsync("group/array/c/0/3", byteRange: new RangeByteRequest(0, 5));
        Assert.Equal("hello"u8.ToArray(), head!.ToArray());
        Assert.True(await store.SetIfNotExistsAsync("group/zarr.json", ByteBuffer.FromBytes("{}"u8)));
        Assert.Equal(["array", "zarr.json"], (await store.ListDirAsync("group").ToListAsync()).Order());
        Assert.Equal(TimeSpan.FromSeconds(30), store.RequestTimeout);
    }

    [Fact(DisplayName = "A call before the node has joined a cluster fails at once with StoreUnavailableException saying so")]
    public async Task NotJoinedFailsAtOnce()
    {
        // A request timeout far beyond the test's own bound: only a prompt refusal passes.
        var system = Create(Minimal + "\nzarr-actors.request-timeout = 10m");
        var store = await ActorStore.StartAsync(system);
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("a/b").WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("has not joined a cluster", error.Message);
        Assert.Contains("get \"a/b\"", error.Message);

        await JoinedAsync(system);
        await store.SetAsync("a/b", ByteBuffer.FromBytes([1]));
        Assert.Equal([1], (await store.GetAsync("a/b"))!.ToArray());
    }

    [Fact(DisplayName = "zarr-actors keys in the application's HOCON are honoured, request-timeout included")]
    public async Task HoconIsHonoured()
    {
        var system = Create(Minimal + "\nzarr-actors { request-timeout = 7s, read-only = on }");
        var store = await ActorStore.StartAsync(system);
        Assert.Equal(TimeSpan.FromSeconds(7), store.RequestTimeout);
        Assert.True(store.ReadOnly);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => store.SetAsync("k", ByteBuffer.Empty));
    }

    [Fact(DisplayName = "A system without the cluster provider, or with Akka's default frame, is refused with an ArgumentException naming the setting")]
    public async Task UnfitSystemsAreRefused()
    {
        var local = Create("akka.actor.provider = local", "local");
        Assert.Contains("akka.actor.provider = cluster", (await Assert.ThrowsAsync<ArgumentException>(() => ActorStore.StartAsync(local))).Message);

        var smallFrame = Create("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0\nakka.remote.dot-netty.tcp.hostname = 127.0.0.1", "small");
        Assert.Contains(WireLimits.FrameSizeSetting, (await Assert.ThrowsAsync<ArgumentException>(() => ActorStore.StartAsync(smallFrame))).Message);
    }

    [Fact(DisplayName = "Two plain systems started the same way form one store: writes on one are read on the other, relayed and not")]
    public async Task TwoPlainSystemsShareOneStore()
    {
        var first = Create();
        var second = Create();
        var stores = new[] { await ActorStore.StartAsync(first), await ActorStore.StartAsync(second) };
        await JoinedAsync(first);
        await JoinedAsync(second, AkkaCluster.Get(first).SelfAddress);
        await ClusterNodes.AllUpAsync(first, 2).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < 30; i++)
        {
            await stores[i % 2].SetAsync($"p{i}/k", ByteBuffer.FromBytes([(byte)i]));
        }

        // Twice: the second round goes through the relay once each node knows where the shards live.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal([(byte)i], (await stores[(i + 1) % 2].GetAsync($"p{i}/k"))!.ToArray());
            }
        }

        var large = ByteBuffer.FromMemory(Enumerable.Range(0, WireLimits.PieceSize + 1000).Select(i => (byte)i).ToArray());
        foreach (var (writer, reader) in new[] { (0, 1), (1, 0) })
        {
            var key = $"large{writer}/v";
            await stores[writer].SetAsync(key, large);
            var read = await stores[reader].GetAsync(key);
            Assert.True(large.Span.SequenceEqual(read!.Span));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Task.WhenAll(_systems.Select(s => s.Terminate()));
}
