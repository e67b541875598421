using Xunit.Abstractions;
using Zarr.Actors;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>
/// 16 concurrent writers each write their own inner chunks of the same two shards, round after round
/// (<see cref="ShardWriteRace"/>). Through a merge at the store (or compare-and-set) nothing is lost; the
/// naive read-modify-write of whole shards, which other Zarr implementations do, loses some: counted and
/// reported, never asserted.
/// </summary>
public sealed class ConcurrentShardWriteTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through MemoryStore's merge, 20 rounds")]
    public async Task MemoryStoreMerge()
    {
        var lost = await ShardWriteRace.RunAsync([new MemoryStore()], PartialShardWrites.Auto, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through compare-and-set on MemoryStore, 20 rounds")]
    public async Task MemoryStoreCompareAndSet()
    {
        var lost = await ShardWriteRace.RunAsync([new MemoryStore()], PartialShardWrites.CompareAndSet, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through the owner's merge in an in-process ActorStore, 20 rounds")]
    public async Task ActorStoreMerge()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        Assert.IsAssignableFrom<Zarr.Actors.Shards.IShardStore>(node.Store);
        var lost = await ShardWriteRace.RunAsync([node.Store], PartialShardWrites.Merge, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through the owner's merge on a data directory, 20 rounds")]
    public async Task DiskActorStoreMerge()
    {
        var directory = Directory.CreateTempSubdirectory("zarr-merge-").FullName;
        try
        {
            await using (var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = directory }))
            {
                var lost = await ShardWriteRace.RunAsync([node.Store], PartialShardWrites.Merge, output.WriteLine);
                Assert.All(lost, round => Assert.Equal(0, round));
            }

            // What the owners stored is on disk, as zarr's LocalStore layout: the last round, read back whole by another node.
            await using var again = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = directory });
            await ShardWriteRace.AssertLastRoundAsync(again.Store);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through compare-and-set on an in-process ActorStore, 20 rounds")]
    public async Task ActorStoreCompareAndSet()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var lost = await ShardWriteRace.RunAsync([node.Store], PartialShardWrites.CompareAndSet, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "Partial shard writes on an ActorStore are merged by its owners unless told otherwise")]
    public async Task ActorStoreMergesByDefault()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        Assert.Equal(PartialShardWrites.Merge, ShardUpdater.Resolve(PartialShardWrites.Auto, node.Store, "auto"));
        Assert.Equal(PartialShardWrites.ReadModifyWrite, ShardUpdater.Resolve(PartialShardWrites.ReadModifyWrite, node.Store, "auto"));
    }

    [Fact(DisplayName = "The naive read-modify-write of whole shards on an in-process ActorStore keeps every shard valid (its losses are counted)")]
    public async Task ActorStoreNaive()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        await ShardWriteRace.RunAsync([node.Store], PartialShardWrites.ReadModifyWrite, output.WriteLine);
    }

    [Fact(DisplayName = "The naive read-modify-write of whole shards on MemoryStore keeps every shard valid (its losses are counted)")]
    public async Task MemoryStoreNaive() => await ShardWriteRace.RunAsync([new MemoryStore()], PartialShardWrites.ReadModifyWrite, output.WriteLine);

    [Theory(DisplayName = "When one writer reads a shard and another writes into it before the first writes back, read-modify-write loses the second's inner chunk and the merge does not")]
    [InlineData(PartialShardWrites.ReadModifyWrite, true)]
    [InlineData(PartialShardWrites.Merge, false)]
    public async Task InterleavedWriters(PartialShardWrites strategy, bool loses)
    {
        var store = new PausingStore("i/c/0");
        var metadata = new ArrayMetadata([4], DataType.Int32, [4], fillValue: -1, codecs: [new ShardingCodec([2], [new BytesCodec()])]);
        var array = await ZarrArray.CreateAsync(store, "i", metadata, new ArrayOptions { PartialShardWrites = strategy });

        var first = array.WriteAsync([0..2], NDBuffer.Create([2], DataType.Int32, fillValue: 1));
        await store.Paused.Task;                                   // the first writer has read the shard (or sent its merge)
        await array.WriteAsync([2..4], NDBuffer.Create([2], DataType.Int32, fillValue: 2));
        store.Resume.SetResult();
        await first;

        var read = await array.ReadAsync();
        Assert.Equal(1, read[0]);
        Assert.Equal(loses ? -1 : 2, read[2]);
    }
}

/// <summary>
/// Holds the first whole read (or merge) of one key until <see cref="Resume"/>, after taking the value it
/// will return: the interleaving in which read-modify-write loses an update, made certain.
/// </summary>
internal sealed class PausingStore(string key) : RecordingStore, Zarr.Actors.Shards.IShardStore
{
    private int _paused;

    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<Zarr.Actors.WriteResult> MergeShardAsync(string shardKey, Zarr.Actors.Shards.ShardLayout layout,
        IReadOnlyList<Zarr.Actors.Shards.ShardChunk> chunks, CancellationToken ct = default)
    {
        await PauseFirstAsync(shardKey, null);
        return await Inner.MergeShardAsync(shardKey, layout, chunks, ct);
    }

    protected override async Task<ByteBuffer?> GetCoreAsync(string readKey, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        var value = await base.GetCoreAsync(readKey, prototype, byteRange, ct);
        await PauseFirstAsync(readKey, byteRange);
        return value;
    }

    private async Task PauseFirstAsync(string seen, ByteRequest? byteRange)
    {
        if (seen == key && byteRange is null && Interlocked.Exchange(ref _paused, 1) == 0)
        {
            Paused.SetResult();
            await Resume.Task;
        }
    }
}
