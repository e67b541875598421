using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Shards;

/// <summary>MemoryStore as an IShardStore: merges are writes, checked as writes, atomic under concurrency.</summary>
public sealed class MemoryStoreMergeTests
{
    private static readonly ShardLayout Layout = new(16, ShardIndexLocation.End, IndexChecksum: true);

    [Fact(DisplayName = "MergeShard creates, updates and finally deletes a shard")]
    public async Task MergeLifecycle()
    {
        var store = new MemoryStore();
        await store.MergeShardAsync("a/c/0", Layout, [new ShardChunk(3, ByteBuffer.FromBytes([3]))]);
        await store.MergeShardAsync("a/c/0", Layout, [new ShardChunk(5, ByteBuffer.FromBytes([5, 5]))]);
        var shard = (await store.GetAsync("a/c/0"))!;
        var index = ShardFormat.ReadIndex("a/c/0", shard, Layout);
        Assert.Equal(ByteBuffer.FromBytes([3]), ShardFormat.InnerChunk(shard, index, 3));
        Assert.Equal(ByteBuffer.FromBytes([5, 5]), ShardFormat.InnerChunk(shard, index, 5));

        await store.MergeShardAsync("a/c/0", Layout, [new ShardChunk(3, null), new ShardChunk(5, null)]);
        Assert.False(await store.ExistsAsync("a/c/0"));
        await store.MergeShardAsync("a/c/0", Layout, [new ShardChunk(1, null)]);
        Assert.False(await store.ExistsAsync("a/c/0"));
    }

    [Fact(DisplayName = "MergeShard is refused as a write is: read-only first, then the key, then the chunks; nothing is written")]
    public async Task RefusedLikeWrites()
    {
        var store = new MemoryStore();
        var chunk = new[] { new ShardChunk(0, ByteBuffer.FromBytes([1])) };
        var readOnly = (IShardStore)store.WithReadOnly(true);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => readOnly.MergeShardAsync("/bad//key", Layout, chunk));
        var badKey = await Assert.ThrowsAsync<InvalidKeyException>(() => store.MergeShardAsync("/bad//key", Layout, chunk));
        Assert.Contains("merge_shard", badKey.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.MergeShardAsync("k", Layout, [new ShardChunk(16, ByteBuffer.Empty)]));
        await store.SetAsync("dir/x", ByteBuffer.FromBytes([1]));
        await Assert.ThrowsAsync<InvalidKeyException>(() => store.MergeShardAsync("dir", Layout, chunk));
        Assert.Equal(["dir/x"], await store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "A merge into a corrupt shard fails with ShardFormatException and leaves it as it was")]
    public async Task CorruptShardUnchanged()
    {
        var store = new MemoryStore();
        var garbage = ByteBuffer.FromBytes(new byte[Layout.IndexLength + 3]);
        await store.SetAsync("c/0", garbage);
        var error = await Assert.ThrowsAsync<ShardFormatException>(() => store.MergeShardAsync("c/0", Layout, [new ShardChunk(0, ByteBuffer.FromBytes([1]))]));
        Assert.Contains("\"c/0\"", error.Message);
        Assert.Equal(garbage, await store.GetAsync("c/0"));
    }

    [Fact(DisplayName = "16 concurrent writers merging their own inner chunk into one shard lose none, 20 rounds")]
    public async Task ConcurrentMergesLoseNothing()
    {
        var store = new MemoryStore();
        for (var round = 0; round < 20; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
            {
                await start.Task;
                await store.MergeShardAsync("s/c/0", Layout, [new ShardChunk(writer, ByteBuffer.FromBytes([(byte)round, (byte)writer]))]);
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(writers);

            var shard = (await store.GetAsync("s/c/0"))!;
            var index = ShardFormat.ReadIndex("s/c/0", shard, Layout);
            for (var writer = 0; writer < 16; writer++)
            {
                Assert.Equal(ByteBuffer.FromBytes([(byte)round, (byte)writer]), ShardFormat.InnerChunk(shard, index, writer));
            }
        }
    }
}
