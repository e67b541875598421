namespace Zarr.Actors.Tests.Contract;

public sealed class MemoryStoreContractTests : StoreContractTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());
}

public sealed class MemoryStoreConcurrencyTests : StoreConcurrencyTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());
}
