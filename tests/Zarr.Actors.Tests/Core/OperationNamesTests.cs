using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Core;

/// <summary>Each store operation's name in its errors, pinned: the names zarr-python's methods have.</summary>
public sealed class OperationNamesTests
{
    private static readonly ByteBuffer Value = ByteBuffer.FromBytes("v"u8);

    public static TheoryData<string, Func<IStore, Task>> Writes() => new()
    {
        { "set", store => store.SetAsync("k", Value) },
        { "set_if_not_exists", store => store.SetIfNotExistsAsync("k", Value) },
        { "delete", store => store.DeleteAsync("k") },
        { "delete_dir", store => store.DeleteDirAsync("d") },
        { "clear", store => store.ClearAsync() },
        { "set", store => ((IConditionalStore)store).PutAsync("k", Value, WriteCondition.None) },
        { "set_if_not_exists", store => ((IConditionalStore)store).PutAsync("k", Value, WriteCondition.IfAbsent) },
        { "set", store => ((IConditionalStore)store).PutAsync("k", Value, WriteCondition.IfMatch(["*"])) },
        { "delete", store => ((IConditionalStore)store).RemoveAsync("k", WriteCondition.None) },
        { "merge_shard", store => ((IShardStore)store).MergeShardAsync("k", new ShardLayout(1, ShardIndexLocation.End, true), []) },
    };

    [Theory(DisplayName = "A refused write names its operation")]
    [MemberData(nameof(Writes))]
    public async Task WritesNameTheirOperation(string operation, Func<IStore, Task> write)
    {
        var error = await Assert.ThrowsAsync<ReadOnlyStoreException>(() => write(new MemoryStore(readOnly: true)));
        Assert.StartsWith(StoreErrors.ReadOnlyMessageStart, error.Message, StringComparison.Ordinal);
        Assert.Contains($"({operation} ", error.Message);
    }

    public static TheoryData<string, Func<IStore, Task>> Reads() => new()
    {
        { "get", store => store.GetAsync("/bad") },
        { "get_partial_values", store => store.GetPartialValuesAsync(null, [("/bad", null)]) },
        { "exists", store => store.ExistsAsync("/bad") },
        { "getsize", store => store.GetSizeAsync("/bad") },
        { "getsize_prefix", store => store.GetSizePrefixAsync("/bad") },
        { "list_prefix", store => store.ListPrefixAsync("/bad").ToListAsync().AsTask() },
        { "list_dir", store => store.ListDirAsync("/bad").ToListAsync().AsTask() },
        { "is_empty", store => store.IsEmptyAsync("/bad") },
    };

    [Theory(DisplayName = "A read with an invalid key or prefix names its operation first")]
    [MemberData(nameof(Reads))]
    public async Task ReadsNameTheirOperation(string operation, Func<IStore, Task> read)
    {
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => read(new MemoryStore()));
        Assert.StartsWith(operation + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact(DisplayName = "A conditional write is named by its condition")]
    public void WritesAreNamedByCondition()
    {
        Assert.Equal(OperationNames.SetIfNotExists, OperationNames.OfWrite(WriteCondition.IfAbsent));
        Assert.Equal(OperationNames.Set, OperationNames.OfWrite(WriteCondition.None));
        Assert.Equal(OperationNames.Set, OperationNames.OfWrite(WriteCondition.IfMatch(["\"t\""])));
    }
}
