using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// <see cref="IShardStore"/> as tests, run by every store that merges shards (MemoryStore, ActorStore on
/// each backend, the HTTP gateway): a merge is a write, checked as one and atomic under concurrency.
/// </summary>
public abstract class ShardStoreContractTests : StoreTestBase
{
    protected static readonly ShardLayout Layout = new(16, ShardIndexLocation.End, IndexChecksum: true);

    private IShardStore Shards => (IShardStore)Store;

    /// <summary>Whether a merge that finds no shard and leaves none says so (HTTP answers 204 either way: it reports Deleted).</summary>
    protected virtual bool ReportsAbsent => true;

    private static ShardChunk Chunk(int index, params byte[] bytes) => new(index, ByteBuffer.FromBytes(bytes));

    private async Task<ByteBuffer?> InnerChunkAsync(string key, int chunk)
    {
        var shard = (await Store.GetAsync(key))!;
        return ShardFormat.InnerChunk(shard, ShardFormat.ReadIndex(key, shard, Layout), chunk);
    }

    [Fact(DisplayName = "A merge creates a shard, replaces inner chunks keeping the others, and deletes the shard once none is left")]
    public async Task Lifecycle()
    {
        var created = await Shards.MergeShardAsync("a/c/0", Layout, [Chunk(3, 3)]);
        Assert.Equal(WriteOutcome.Created, created.Outcome);
        var replaced = await Shards.MergeShardAsync("a/c/0", Layout, [Chunk(5, 5, 5), Chunk(7, 7)]);
        Assert.Equal(WriteOutcome.Replaced, replaced.Outcome);
        Assert.NotNull(created.Tag);
        Assert.NotNull(replaced.Tag);
        Assert.NotEqual(created.Tag, replaced.Tag);
        Assert.Equal(ByteBuffer.FromBytes([3]), await InnerChunkAsync("a/c/0", 3));
        Assert.Equal(ByteBuffer.FromBytes([5, 5]), await InnerChunkAsync("a/c/0", 5));

        var emptied = await Shards.MergeShardAsync("a/c/0", Layout, [new ShardChunk(7, null)]);
        Assert.Equal(WriteOutcome.Replaced, emptied.Outcome);
        Assert.Null(await InnerChunkAsync("a/c/0", 7));

        var deleted = await Shards.MergeShardAsync("a/c/0", Layout, [new ShardChunk(3, null), new ShardChunk(5, null)]);
        Assert.Equal((WriteOutcome.Deleted, null), (deleted.Outcome, deleted.Tag));
        Assert.False(await Store.ExistsAsync("a/c/0"));
        Assert.Empty(await Store.ListAsync().ToListAsync());

        var nothing = await Shards.MergeShardAsync("a/c/0", Layout, [new ShardChunk(1, null)]);
        Assert.Equal(ReportsAbsent ? WriteOutcome.Absent : WriteOutcome.Deleted, nothing.Outcome);
        Assert.Null(nothing.Tag);
        Assert.False(await Store.ExistsAsync("a/c/0"));
    }

    [Fact(DisplayName = "A merge is refused as a write is: read-only first, then the key, then the inner chunks; nothing is written")]
    public async Task RefusedLikeWrites()
    {
        var chunk = new[] { Chunk(0, 1) };
        var readOnly = (IShardStore)Store.WithReadOnly(true);
        var refused = await Assert.ThrowsAsync<ReadOnlyStoreException>(() => readOnly.MergeShardAsync("/bad//key", Layout, chunk));
        Assert.Contains("merge_shard", refused.Message);
        var badKey = await Assert.ThrowsAsync<InvalidKeyException>(() => Shards.MergeShardAsync("/bad//key", Layout, chunk));
        Assert.StartsWith("merge_shard: ", badKey.Message, StringComparison.Ordinal);
        var outside = await Assert.ThrowsAsync<ArgumentException>(() => Shards.MergeShardAsync("k", Layout, [new ShardChunk(16, ByteBuffer.Empty)]));
        Assert.Contains("16", outside.Message);
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => Shards.MergeShardAsync("k", Layout, [Chunk(2, 1), Chunk(2, 2)]));
        Assert.Contains("twice", twice.Message);
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "A merge follows the directory rules of a set: a key is never a directory, and a first shard makes its prefix listed")]
    public async Task DirectoryRules()
    {
        await Store.SetAsync("dir/x", Value("x"));
        var isDirectory = await Assert.ThrowsAsync<InvalidKeyException>(() => Shards.MergeShardAsync("dir", Layout, [Chunk(0, 1)]));
        Assert.Contains("\"dir\"", isDirectory.Message);
        await Assert.ThrowsAsync<InvalidKeyException>(() => Shards.MergeShardAsync("dir/x/c/0", Layout, [Chunk(0, 1)]));
        Assert.Equal(["dir/x"], await Store.ListAsync().ToListAsync());

        await Shards.MergeShardAsync("g/arr/c/1/2", Layout, [Chunk(0, 1)]);
        Assert.Equal(["arr"], await Store.ListDirAsync("g").ToListAsync());
        Assert.Equal(["2"], await Store.ListDirAsync("g/arr/c/1").ToListAsync());
        await Shards.MergeShardAsync("g/arr/c/1/2", Layout, [new ShardChunk(0, null)]);
        Assert.Empty(await Store.ListDirAsync("g").ToListAsync());
        Assert.Equal(["dir"], await Store.ListDirAsync("").ToListAsync());
    }

    [Fact(DisplayName = "A merge into a corrupt shard fails with ShardFormatException naming the key, and leaves the shard as it was")]
    public async Task CorruptShardUnchanged()
    {
        var garbage = MakeValue(new byte[Layout.IndexLength + 3]);
        await Store.SetAsync("s/c/0", garbage);
        var error = await Assert.ThrowsAsync<ShardFormatException>(() => Shards.MergeShardAsync("s/c/0", Layout, [Chunk(0, 1)]));
        Assert.Contains("\"s/c/0\"", error.Message);
        Assert.Contains("crc32c", error.Message);
        Assert.Equal(garbage, await Store.GetAsync("s/c/0"));
    }

    [Fact(DisplayName = "16 concurrent writers merging their own inner chunk into one shard lose none, 20 rounds")]
    public async Task ConcurrentMergesLoseNothing()
    {
        for (var round = 0; round < 20; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
            {
                await start.Task;
                await Shards.MergeShardAsync("s/c/0", Layout, [Chunk(writer, (byte)round, (byte)writer)]);
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(writers);

            for (var writer = 0; writer < 16; writer++)
            {
                Assert.Equal(ByteBuffer.FromBytes([(byte)round, (byte)writer]), await InnerChunkAsync("s/c/0", writer));
            }
        }
    }
}

public sealed class MemoryStoreShardTests : ShardStoreContractTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());
}

public sealed class ActorStoreShardTests(StoreNodeFixture node) : ShardStoreContractTests, IClassFixture<StoreNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

public sealed class DiskActorStoreShardTests(DiskNodeFixture node) : ShardStoreContractTests, IClassFixture<DiskNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

/// <summary>Every merge message serialized and read back, even in-process.</summary>
public sealed class SerializingActorStoreShardTests(SerializingNodeFixture node) : ShardStoreContractTests, IClassFixture<SerializingNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}
