using Zarr.Actors;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>
/// The race of issue 14: 16 concurrent writers each write their own inner chunks of the same two shards,
/// round after round, through <see cref="ZarrArray"/>; after each round the array is read back and every
/// inner chunk checked. Shared by the in-process, cluster and HTTP tests.
/// </summary>
public static class ShardWriteRace
{
    public const int Writers = 16;
    public const int Rounds = 20;
    public const string ArrayPath = "race/arr";

    private const int Width = 1024;
    private const int RoundFactor = 10_000_000;

    /// <summary>
    /// Runs the rounds, writer <c>w</c> through <c>stores[w % stores.Count]</c> (so callers on several nodes
    /// share the race); returns the inner chunks lost in each round. Every inner chunk must hold what its
    /// writer wrote in this round or, when lost, in an earlier one (or the fill value): anything else fails.
    /// </summary>
    public static async Task<int[]> RunAsync(IReadOnlyList<IStore> stores, PartialShardWrites strategy, Action<string>? report = null)
    {
        // Two shards of 32 x 1024 int32 (16 inner chunks of 2 x 1024, 8 KiB each); writer w writes rows [2w, 2w + 2) of both.
        var metadata = new ArrayMetadata([2 * Writers, 2 * Width], DataType.Int32, [2 * Writers, Width], fillValue: -1,
            codecs: [new ShardingCodec([2, Width], [new BytesCodec(), new Crc32cCodec()])]);
        await ZarrArray.CreateAsync(stores[0], ArrayPath, metadata);
        var arrays = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer =>
            ZarrArray.OpenAsync(stores[writer % stores.Count], ArrayPath, new ArrayOptions { PartialShardWrites = strategy })));
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
            lost[round] = Lost(await arrays[round % Writers].ReadAsync(), round);
        }

        report?.Invoke($"{string.Join(" + ", stores.Select(s => s.GetType().Name).Distinct())}, {strategy}: inner chunks lost per round " +
                       $"[{string.Join(", ", lost)}], {lost.Sum()} of {Rounds * Writers * 2} inner chunk writes lost");
        return lost;
    }

    /// <summary>Checks that <paramref name="store"/> holds exactly the last round of a run without losses.</summary>
    public static async Task AssertLastRoundAsync(IStore store)
    {
        var array = await ZarrArray.OpenAsync(store, ArrayPath);
        Assert.Equal(0, Lost(await array.ReadAsync(), Rounds - 1));
    }

    /// <summary>How many inner chunks of <paramref name="array"/> do not hold round <paramref name="round"/>'s values.</summary>
    private static int Lost(NDBuffer array, int round)
    {
        var read = Ints(array).ToArray();
        var lost = 0;
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
                    lost++;
                }
            }
        }

        return lost;
    }

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
