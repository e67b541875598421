using Zarr.Actors.Tests.Contract;

namespace Zarr.Actors.Host.Tests;

/// <summary>A node and its gateway, shared by a test class; each test starts from an empty store.</summary>
public sealed class GatewayNodeFixture : IAsyncLifetime
{
    public StoreNode Node { get; private set; } = null!;

    public GatewayServer Server { get; private set; } = null!;

    public async Task<IStore> FreshStoreAsync()
    {
        await Node.Store.ClearAsync();
        return new HttpStore(Server.Client);
    }

    public async Task InitializeAsync()
    {
        Node = await StoreNode.StartAsync(new StoreNodeOptions());
        Server = await GatewayServer.StartAsync(Node.Store);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Node.DisposeAsync();
    }
}

/// <summary>The whole store contract, spoken over HTTP to the gateway in front of an ActorStore.</summary>
public sealed class HttpStoreContractTests(GatewayNodeFixture fixture) : StoreContractTests, IClassFixture<GatewayNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => fixture.FreshStoreAsync();
}

public sealed class HttpStoreConcurrencyTests(GatewayNodeFixture fixture) : StoreConcurrencyTests, IClassFixture<GatewayNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => fixture.FreshStoreAsync();

    protected override int Rounds => 40;
}

/// <summary>Shard merges over HTTP: the gateway's PATCH in front of an ActorStore.</summary>
public sealed class HttpStoreShardTests(GatewayNodeFixture fixture) : ShardStoreContractTests, IClassFixture<GatewayNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => fixture.FreshStoreAsync();

    // 204 without an ETag says no shard is left; whether there was one before, HTTP does not say.
    protected override bool ReportsAbsent => false;
}
