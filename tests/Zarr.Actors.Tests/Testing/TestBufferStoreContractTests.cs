using Akka.Actor;
using Zarr.Actors.Testing;
using Zarr.Actors.Tests.Contract;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Testing;

/// <summary>One actor system per test class; each test gets a store of its own (a fresh supervisor).</summary>
public sealed class ActorSystemFixture : IAsyncLifetime
{
    public ActorSystem System { get; } = ActorSystem.Create("test-buffer-store", "akka.loglevel = WARNING");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => System.Terminate();
}

public sealed class TestBufferStoreContractTests(ActorSystemFixture fixture) : StoreContractTests, IClassFixture<ActorSystemFixture>
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new StoreExpectingTestBuffer(fixture.System));

    protected override ByteBuffer MakeValue(ReadOnlySpan<byte> bytes) => TestBuffer.FromBytes(bytes);

    protected override BufferPrototype Prototype => TestBufferPrototype.Instance;
}

public sealed class TestBufferStoreConcurrencyTests(ActorSystemFixture fixture) : StoreConcurrencyTests, IClassFixture<ActorSystemFixture>
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new StoreExpectingTestBuffer(fixture.System));

    protected override ByteBuffer MakeValue(ReadOnlySpan<byte> bytes) => TestBuffer.FromBytes(bytes);

    protected override BufferPrototype Prototype => TestBufferPrototype.Instance;
}
