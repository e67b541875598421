using Akka.Cluster.Sharding;
using Akka.Actor;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Facade;

/// <summary>The node's life: start, serve, passivate idle owners, shut down.</summary>
public sealed class StoreNodeTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact(DisplayName = "Once a node is disposed, every call on its stores throws StoreUnavailableException")]
    public async Task DisposedNodeIsUnavailable()
    {
        var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var store = node.Store;
        var view = store.WithReadOnly(true);
        await store.SetAsync("k", ByteBuffer.FromBytes([1]));
        await node.DisposeAsync();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("k"));
        Assert.Contains("get", error.Message);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SetAsync("k", ByteBuffer.Empty));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => view.ExistsAsync("k"));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.ListAsync().ToListAsync());
        await node.DisposeAsync();
    }

    [Fact(DisplayName = "The request timeout comes from the options, else from zarr-actors.request-timeout")]
    public async Task RequestTimeoutFromConfiguration()
    {
        await using var configured = await StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = "zarr-actors.request-timeout = 7s" });
        Assert.Equal(TimeSpan.FromSeconds(7), configured.Store.RequestTimeout);
        await using var optioned = await StoreNode.StartAsync(new StoreNodeOptions { RequestTimeout = TimeSpan.FromSeconds(3), ExtraConfig = "zarr-actors.request-timeout = 7s" });
        Assert.Equal(TimeSpan.FromSeconds(3), optioned.Store.RequestTimeout);
        await using var plain = await StoreNode.StartAsync(new StoreNodeOptions());
        Assert.Equal(TimeSpan.FromSeconds(30), plain.Store.RequestTimeout);
    }

    [Fact(DisplayName = "Two nodes run side by side in one process on port 0")]
    public async Task NodesRunSideBySide()
    {
        await using var first = await StoreNode.StartAsync(new StoreNodeOptions());
        await using var second = await StoreNode.StartAsync(new StoreNodeOptions());
        Assert.NotEqual(first.Address, second.Address);
        await first.Store.SetAsync("k", ByteBuffer.FromBytes([1]));
        Assert.Null(await second.Store.GetAsync("k"));
    }

    [Theory(DisplayName = "Idle owners are passivated and their prefixes are served again unchanged")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PassivationLosesNothing(bool onDisk)
    {
        var directory = onDisk ? Directory.CreateTempSubdirectory("zarr-passivate-").FullName : null;
        try
        {
            await using var node = await StoreNode.StartAsync(new StoreNodeOptions
            {
                DataDirectory = directory,
                ExtraConfig = "zarr-actors.passivate-idle-after = 300ms",
            });
            var store = node.Store;
            var keys = Enumerable.Range(0, 20).Select(i => $"g/a{i % 4}/c/{i}").ToList();
            foreach (var key in keys)
            {
                await store.SetAsync(key, ByteBuffer.FromBytes(System.Text.Encoding.UTF8.GetBytes(key)));
            }

            await store.DeleteAsync(keys[0]);
            var region = ClusterSharding.Get(node.System).ShardRegion(ActorStore.TypeName);
            await AwaitAssertAsync(async () =>
            {
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
                Assert.Equal(0, state.Shards.Sum(shard => shard.EntityIds.Count));
            }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

            Assert.Null(await store.GetAsync(keys[0]));
            foreach (var key in keys.Skip(1))
            {
                Assert.Equal(System.Text.Encoding.UTF8.GetBytes(key), (await store.GetAsync(key))!.ToArray());
            }

            Assert.Equal(["a0", "a1", "a2", "a3"], (await store.ListDirAsync("g").ToListAsync()).Order());
        }
        finally
        {
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
