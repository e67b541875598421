using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// What a store under test supplies to the shared suites: how to make a fresh store (and dispose it),
/// how values are made, and which prototype reads use.
/// </summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    /// <summary>A fresh, empty, writable store for each test.</summary>
    protected abstract Task<IStore> CreateStoreAsync();

    /// <summary>Called after each test with the store <see cref="CreateStoreAsync"/> returned.</summary>
    protected virtual ValueTask DisposeStoreAsync(IStore store) => store.DisposeAsync();

    /// <summary>How values are made (the test-buffer store makes <c>TestBuffer</c>s).</summary>
    protected virtual ByteBuffer MakeValue(ReadOnlySpan<byte> bytes) => ByteBuffer.FromBytes(bytes);

    /// <summary>The prototype every read uses.</summary>
    protected virtual BufferPrototype Prototype => BufferPrototype.Default;

    protected IStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync(Store);

    protected ByteBuffer Value(string text) => MakeValue(System.Text.Encoding.UTF8.GetBytes(text));
}
