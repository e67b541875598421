using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zarr.Actors.Sharding;
using Zarr.Buffers;

namespace Zarr.Actors.Hosting.Tests;

/// <summary>WithZarrActors under Akka.Hosting: the store from dependency injection, options from configuration, proxies, health.</summary>
public sealed class HostingTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact(DisplayName = "Hosting: IStore from dependency injection reads and writes once the node is up")]
    public async Task StoreFromDependencyInjection()
    {
        await using var node = await HostedNode.StartAsync();
        await node.UpAsync();
        var store = node.Store;
        Assert.Same(store, node.Services.GetRequiredService<ActorStore>());

        await store.SetAsync("group/array/c/0", ByteBuffer.FromBytes("chunk"u8));
        Assert.Equal("chunk"u8.ToArray(), (await store.GetAsync("group/array/c/0"))!.ToArray());
        Assert.True(await store.SetIfNotExistsAsync("group/zarr.json", ByteBuffer.FromBytes("{}"u8)));
        Assert.Equal(["array", "zarr.json"], (await store.ListDirAsync("group").ToListAsync()).Order());
    }

    [Fact(DisplayName = "Hosting: ZarrActorsOptions bound from IConfiguration reach the settings: timeout, shards, read-only")]
    public async Task OptionsFromConfiguration()
    {
        await using var node = await HostedNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ZarrActors:RequestTimeout"] = "00:00:07",
            ["ZarrActors:NumberOfShards"] = "37",
            ["ZarrActors:ReadOnly"] = "true",
            ["ZarrActors:PassivateIdleAfter"] = "00:00:00",
        });
        await node.UpAsync();
        var settings = ZarrActorsSettings.Create(node.System);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.RequestTimeout);
        Assert.Equal(37, settings.NumberOfShards);
        Assert.Equal(TimeSpan.Zero, settings.PassivateIdleAfter);

        var store = (ActorStore)node.Store;
        Assert.Equal(TimeSpan.FromSeconds(7), store.RequestTimeout);
        Assert.True(store.ReadOnly);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => store.SetAsync("k", ByteBuffer.Empty));
        Assert.False(await store.ExistsAsync("k"));
    }

    [Fact(DisplayName = "Hosting: options out of range fail when WithZarrActors is configured, naming the key")]
    public void BadOptionsAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ZarrActorsOptions { NumberOfShards = 0 }.ToConfig());
        Assert.StartsWith("zarr-actors.number-of-shards must be positive, not 0", error.Message);
        Assert.Equal(ZarrActorsSettings.Create(Akka.Configuration.Config.Empty), new ZarrActorsOptions().ToSettings());
    }

    [Fact(DisplayName = "Hosting: a node without the owners' role hosts none and reaches the owners on the other node through a proxy")]
    public async Task ProxyNodeReachesOwners()
    {
        var options = new ZarrActorsOptions { Role = "store" };
        await using var owners = await HostedNode.StartAsync(options, roles: ["store"]);
        await owners.UpAsync();
        await using var proxy = await HostedNode.StartAsync(options, seed: owners.Address);
        await proxy.UpAsync();

        for (var i = 0; i < 20; i++)
        {
            await proxy.Store.SetAsync($"p{i}/k", ByteBuffer.FromBytes([(byte)i]));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal([(byte)i], (await proxy.Store.GetAsync($"p{i}/k"))!.ToArray());
            Assert.Equal([(byte)i], (await owners.Store.GetAsync($"p{i}/k"))!.ToArray());
        }

        Assert.Equal(0, LocalOwners.Get(proxy.System).Count);
        Assert.True(LocalOwners.Get(owners.System).Count >= 20);
        Assert.Contains("store", Cluster.Get(owners.System).SelfRoles);
    }

    [Fact(DisplayName = "Hosting: health checks say live at once, and ready only once the node has joined and the store answers")]
    public async Task HealthChecks()
    {
        await using var node = await HostedNode.StartAsync(join: false);
        var health = node.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(check => check.Tags.Contains("live"))).Status);

        var notReady = await health.CheckHealthAsync(check => check.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Unhealthy, notReady.Status);
        Assert.Contains("has not joined", notReady.Entries[ZarrActorsHostingExtensions.HealthCheckName].Description);

        Cluster.Get(node.System).Join(Cluster.Get(node.System).SelfAddress);
        await node.UpAsync();
        await AwaitAssertAsync(async () =>
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(check => check.Tags.Contains("ready"))).Status),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }
}
