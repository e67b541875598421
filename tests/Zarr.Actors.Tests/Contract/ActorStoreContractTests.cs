namespace Zarr.Actors.Tests.Contract;

/// <summary>One node per test class; each test gets the store cleared, which the contract suite needs.</summary>
public sealed class StoreNodeFixture : IAsyncLifetime
{
    private readonly string? _directory;
    private readonly string? _extraConfig;

    public StoreNodeFixture() : this(onDisk: false, extraConfig: null)
    {
    }

    private StoreNodeFixture(bool onDisk, string? extraConfig)
    {
        _directory = onDisk ? Directory.CreateTempSubdirectory("zarr-contract-").FullName : null;
        _extraConfig = extraConfig;
    }

    public StoreNode Node { get; private set; } = null!;

    public static StoreNodeFixture OnDisk() => new(onDisk: true, extraConfig: null);

    /// <summary>Every message, even in-process, is serialized and read back: the wire format under the whole suite.</summary>
    public static StoreNodeFixture SerializingEveryMessage() => new(onDisk: false, extraConfig: "akka.actor.serialize-messages = on");

    public async Task<IStore> FreshStoreAsync()
    {
        await Node.Store.ClearAsync();
        return Node.Store.WithReadOnly(false);
    }

    public async Task InitializeAsync() =>
        Node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = _directory, ExtraConfig = _extraConfig });

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

public sealed class DiskNodeFixture() : IAsyncLifetime
{
    private readonly StoreNodeFixture _inner = StoreNodeFixture.OnDisk();

    public Task<IStore> FreshStoreAsync() => _inner.FreshStoreAsync();

    public Task InitializeAsync() => _inner.InitializeAsync();

    public Task DisposeAsync() => _inner.DisposeAsync();
}

public sealed class SerializingNodeFixture() : IAsyncLifetime
{
    private readonly StoreNodeFixture _inner = StoreNodeFixture.SerializingEveryMessage();

    public Task<IStore> FreshStoreAsync() => _inner.FreshStoreAsync();

    public Task InitializeAsync() => _inner.InitializeAsync();

    public Task DisposeAsync() => _inner.DisposeAsync();
}

public sealed class ActorStoreContractTests(StoreNodeFixture node) : StoreContractTests, IClassFixture<StoreNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

public sealed class ActorStoreConcurrencyTests(StoreNodeFixture node) : StoreConcurrencyTests, IClassFixture<StoreNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

public sealed class DiskActorStoreContractTests(DiskNodeFixture node) : StoreContractTests, IClassFixture<DiskNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

public sealed class DiskActorStoreConcurrencyTests(DiskNodeFixture node) : StoreConcurrencyTests, IClassFixture<DiskNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();

    // Each round is 64 durable writes' worth of fsyncs; fewer rounds keep CI quick and still race.
    protected override int Rounds => 30;
}

/// <summary>The whole contract with serialize-messages = on: no message of ours can depend on in-process references.</summary>
public sealed class SerializingActorStoreContractTests(SerializingNodeFixture node) : StoreContractTests, IClassFixture<SerializingNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}
