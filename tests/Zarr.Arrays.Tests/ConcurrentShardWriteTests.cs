using Xunit.Abstractions;
using Zarr.Actors;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>
/// 16 concurrent writers each write their own inner chunks of the same two shards, round after round.
/// Through a merge at the store (or compare-and-set) nothing is lost; the naive read-modify-write of
/// whole shards, which other Zarr implementations do, loses some: counted and reported, never asserted.
/// </summary>
public sealed class ConcurrentShardWriteTests(ITestOutputHelper output)
{
    private const int Writers = 16;
    private const int Rounds = 20;

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through MemoryStore's merge, 20 rounds")]
    public async Task MemoryStoreMerge()
    {
        var lost = await RunAsync(new MemoryStore(), PartialShardWrites.Auto);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through compare-and-set on MemoryStore, 20 rounds")]
    public async Task MemoryStoreCompareAndSet()
    {
        var lost = await RunAsync(new MemoryStore(), PartialShardWrites.CompareAndSet);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "16 writers of their own inner chunks lose nothing through compare-and-set on an in-process ActorStore, 20 rounds")]
    public async Task ActorStoreCompareAndSet()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var lost = await RunAsync(node.Store, PartialShardWrites.CompareAndSet);
        Assert.All(lost, round => Assert.Equal(0, round));
    }

    [Fact(DisplayName = "The naive read-modify-write of whole shards on an in-process ActorStore keeps every shard valid (its losses are counted)")]
    public async Task ActorStoreNaive()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        Assert.IsNotAssignableFrom<Zarr.Actors.Shards.IShardStore>(node.Store);
        await RunAsync(node.Store, PartialShardWrites.Auto);
    }

    [Fact(DisplayName = "The naive read-modify-write of whole shards on MemoryStore keeps every shard valid (its losses are counted)")]
    public async Task MemoryStoreNaive() => await RunAsync(new MemoryStore(), PartialShardWrites.ReadModifyWrite);

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

    /// <summary>
    /// Runs the rounds; returns the inner chunks lost in each. Every inner chunk must hold what its writer
    /// wrote in this round or, when lost, in an earlier one (or the fill value): anything else fails.
    /// </summary>
    private async Task<int[]> RunAsync(IStore store, PartialShardWrites strategy)
    {
        // Two shards of 32 x 1024 int32 (16 inner chunks of 2 x 1024, 8 KiB each); writer w writes rows [2w, 2w + 2) of both.
        var metadata = new ArrayMetadata([2 * Writers, 2 * Width], DataType.Int32, [2 * Writers, Width], fillValue: -1,
            codecs: [new ShardingCodec([2, Width], [new BytesCodec(), new Crc32cCodec()])]);
        await ZarrArray.CreateAsync(store, "race/arr", metadata);
        var arrays = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ =>
            ZarrArray.OpenAsync(store, "race/arr", new ArrayOptions { PartialShardWrites = strategy })));
        var lost = new int[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                await start.Task;
                await arrays[writer].WriteAsync([(2 * writer)..(2 * writer + 2), 0..(2 * Width)], Rows(round, writer));
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(writers);

            var read = Ints(await arrays[0].ReadAsync()).ToArray();
            for (var writer = 0; writer < Writers; writer++)
            {
                for (var shard = 0; shard < 2; shard++)
                {
                    var written = Enumerable.Range(2 * writer, 2).Select(row => read.AsSpan(row * 2 * Width + shard * Width, Width).ToArray()).ToArray();
                    var from = written[0][0] < 0 ? -1 : written[0][0] / RoundFactor;   // the round these values come from
                    Assert.True(from <= round && written.SelectMany(row => row).SequenceEqual(Expected(from, writer, shard)),
                        $"round {round}: inner chunk {writer} of shard {shard} holds values no round of its writer wrote");
                    if (from != round)
                    {
                        lost[round]++;
                    }
                }
            }
        }

        output.WriteLine($"{store.GetType().Name}, {strategy}: inner chunks lost per round [{string.Join(", ", lost)}], " +
                         $"{lost.Sum()} of {Rounds * Writers * 2} inner chunk writes lost");
        return lost;
    }

    private const int Width = 1024;
    private const int RoundFactor = 10_000_000;

    /// <summary>Writer <paramref name="writer"/>'s rows in round <paramref name="round"/>: every value names its round, writer, row and column.</summary>
    private static NDBuffer Rows(int round, int writer)
    {
        var rows = NDBuffer.Create([2, 2 * Width], DataType.Int32);
        var values = Ints(rows);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(round, writer, i / (2 * Width), i % (2 * Width));
        }

        return rows;
    }

    /// <summary>What inner chunk <paramref name="writer"/> of <paramref name="shard"/> holds after round <paramref name="round"/> (-1: never written).</summary>
    private static IEnumerable<int> Expected(int round, int writer, int shard) =>
        Enumerable.Range(0, 2 * Width).Select(i => round < 0 ? -1 : Value(round, writer, i / Width, shard * Width + i % Width));

    private static int Value(int round, int writer, int row, int column) => round * RoundFactor + writer * 100_000 + row * 10_000 + column;

    private static Span<int> Ints(NDBuffer buffer) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(buffer.AsArrayLike().Bytes.Span);
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

    public async Task MergeShardAsync(string shardKey, Zarr.Actors.Shards.ShardLayout layout, IReadOnlyList<Zarr.Actors.Shards.ShardChunk> chunks, CancellationToken ct = default)
    {
        await PauseFirstAsync(shardKey, null);
        await Inner.MergeShardAsync(shardKey, layout, chunks, ct);
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
