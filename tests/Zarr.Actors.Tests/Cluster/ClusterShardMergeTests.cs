using Zarr.Actors.Protocol;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>Shard merges whose owner is on another node: in one message, or in pieces when larger than a frame.</summary>
public sealed class ClusterShardMergeTests
{
    private static readonly ShardLayout Layout = new(16, ShardIndexLocation.End, IndexChecksum: true);

    private static ByteBuffer Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return ByteBuffer.FromMemory(bytes);
    }

    private static async Task<ByteBuffer?[]> InnerChunksAsync(IStore store, string key)
    {
        var shard = (await store.GetAsync(key))!;
        var index = ShardFormat.ReadIndex(key, shard, Layout);
        return Enumerable.Range(0, Layout.ChunkCount).Select(i => ShardFormat.InnerChunk(shard, index, i)).ToArray();
    }

    [Fact(DisplayName = "12 MiB of inner chunks merge into a shard whose owner is on the other node, in pieces, all at once, keeping the others")]
    public async Task LargeMergeAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (near, far) = (cluster.Nodes[0].Store, cluster.Nodes[1].Store);
        var key = await ClusterStoreTests.FirstPrefixOwnedElsewhereAsync(near) + "/0";
        var kept = Random(1000, seed: 99);
        await far.MergeShardAsync(key, Layout, [new ShardChunk(15, kept), new ShardChunk(14, kept)]);

        // Twelve inner chunks of 1 MiB: one message of them would be over the 8 MiB frame, and be dropped.
        var chunks = Enumerable.Range(0, 12).Select(i => new ShardChunk(i, Random(WireLimits.MiB, seed: i))).ToList();
        chunks.Add(new ShardChunk(14, null));
        Assert.True(new MergeShard("", "", Layout, chunks).ValueBytes > WireLimits.ShippedFrameSize);
        var result = await near.MergeShardAsync(key, Layout, chunks);
        Assert.Equal(WriteOutcome.Replaced, result.Outcome);

        foreach (var store in new[] { near, far })
        {
            var stored = await InnerChunksAsync(store, key);
            for (var i = 0; i < 12; i++)
            {
                Assert.Equal(chunks[i].Bytes, stored[i]);
            }

            Assert.Null(stored[12]);
            Assert.Null(stored[14]);
            Assert.Equal(kept, stored[15]);
        }

        // A single inner chunk larger than a piece crosses too.
        var huge = Random(9 * WireLimits.MiB, seed: 7);
        await near.MergeShardAsync(key, Layout, [new ShardChunk(13, huge)]);
        Assert.Equal(huge, (await InnerChunksAsync(far, key))[13]);
    }

    [Fact(DisplayName = "A merge into a corrupt shard on the other node fails with ShardFormatException, small or in pieces, and leaves it as it was")]
    public async Task CorruptShardAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var near = cluster.Nodes[0].Store;
        var key = await ClusterStoreTests.FirstPrefixOwnedElsewhereAsync(near) + "/0";
        var garbage = Random(Layout.IndexLength + 10, seed: 1);
        await near.SetAsync(key, garbage);

        var small = await Assert.ThrowsAsync<ShardFormatException>(() => near.MergeShardAsync(key, Layout, [new ShardChunk(0, Random(10, 2))]));
        Assert.Contains(key, small.Message);
        var large = await Assert.ThrowsAsync<ShardFormatException>(() => near.MergeShardAsync(key, Layout, [new ShardChunk(0, Random(5 * WireLimits.MiB, 3))]));
        Assert.Contains(key, large.Message);
        Assert.Equal(garbage, await cluster.Nodes[1].Store.GetAsync(key));
    }
}
