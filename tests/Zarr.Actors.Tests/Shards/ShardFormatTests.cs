using System.Buffers.Binary;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Shards;

/// <summary>The pure shard format: building, reading and merging shards, and refusing corrupt ones.</summary>
public sealed class ShardFormatTests
{
    private static readonly ShardLayout End = new(4, ShardIndexLocation.End, IndexChecksum: true);
    private static readonly ShardLayout Start = new(4, ShardIndexLocation.Start, IndexChecksum: true, IndexBigEndian: true);

    [Theory(DisplayName = "A built shard reads back each inner chunk, empty ones as empty, with the index at either end")]
    [InlineData(false)]
    [InlineData(true)]
    public void BuildAndRead(bool indexAtStart)
    {
        var layout = indexAtStart ? Start : End;
        var shard = ShardFormat.Build(layout, [Bytes(1, 2, 3), null, Bytes(), Bytes(9)])!;

        Assert.Equal(4 + layout.IndexLength, shard.Length);
        var index = ShardFormat.ReadIndex("k", shard, layout);
        Assert.Equal(4, index.Count);
        Assert.Equal(Bytes(1, 2, 3), ShardFormat.InnerChunk(shard, index, 0));
        Assert.True(index.IsEmpty(1));
        Assert.Null(ShardFormat.InnerChunk(shard, index, 1));
        Assert.Equal(ByteBuffer.Empty, ShardFormat.InnerChunk(shard, index, 2));
        Assert.Equal(Bytes(9), ShardFormat.InnerChunk(shard, index, 3));
        Assert.Equal(indexAtStart ? layout.IndexLength : 0, index.Offset(0));

        var alone = shard.Slice(indexAtStart ? 0 : shard.Length - layout.IndexLength, layout.IndexLength);
        var request = ShardFormat.IndexRange(layout);
        Assert.Equal(indexAtStart ? new RangeByteRequest(0, layout.IndexLength) : new SuffixByteRequest(layout.IndexLength), request);
        Assert.Equal(index.Length(3), ShardFormat.ReadIndex("k", alone.Span, layout).Length(3));
    }

    [Fact(DisplayName = "A shard of empty inner chunks only is no shard; EmptyShard is its index alone")]
    public void AllEmpty()
    {
        Assert.Null(ShardFormat.Build(End, [null, null, null, null]));
        var empty = ShardFormat.EmptyShard(End);
        Assert.Equal(End.IndexLength, empty.Length);
        Assert.True(ShardFormat.ReadIndex("k", empty, End).AllEmpty);
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(ulong.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(empty.Span[(i * 8)..])));
    }

    [Fact(DisplayName = "Merge replaces the given inner chunks, keeps the others, and empties the shard to null")]
    public void Merge()
    {
        var first = ShardFormat.Merge("k", null, End, [new ShardChunk(2, Bytes(2, 2))])!;
        var second = ShardFormat.Merge("k", first, End, [new ShardChunk(0, Bytes(7)), new ShardChunk(3, Bytes(3, 3, 3))])!;
        var third = ShardFormat.Merge("k", second, End, [new ShardChunk(2, null), new ShardChunk(0, Bytes(8, 8))])!;

        Assert.Equal(new ByteBuffer?[] { Bytes(8, 8), null, null, Bytes(3, 3, 3) }, Chunks(third, End));
        Assert.Equal(2 + 3 + End.IndexLength, third.Length);    // rewritten compactly
        Assert.Null(ShardFormat.Merge("k", third, End, [new ShardChunk(0, null), new ShardChunk(3, null)]));
        Assert.Equal(Chunks(second, End), Chunks(ShardFormat.Merge("k", second, End, [])!, End));
    }

    [Theory(DisplayName = "A corrupt shard fails with ShardFormatException naming the key and what is wrong")]
    [InlineData("crc", "the crc32c of its index")]
    [InlineData("short", "shorter than its index")]
    [InlineData("outside", "outside the shard's data")]
    [InlineData("half-empty", "only both may be 2^64-1")]
    [InlineData("overlaps-index", "outside the shard's data")]
    public void Corrupt(string damage, string problem)
    {
        var layout = damage == "overlaps-index" ? new ShardLayout(4, ShardIndexLocation.Start, IndexChecksum: false) : new ShardLayout(4, ShardIndexLocation.End, IndexChecksum: damage == "crc");
        var shard = ShardFormat.Build(layout, [Bytes(1, 2, 3), null, null, Bytes(9)])!.ToArray();
        var indexAt = layout.IndexLocation == ShardIndexLocation.End ? shard.Length - layout.IndexLength : 0;
        switch (damage)
        {
            case "crc":
                shard[indexAt] ^= 1;
                break;
            case "short":
                shard = shard[..10];
                break;
            case "outside":
                BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(indexAt + 8), 1000);          // chunk 0's length
                break;
            case "half-empty":
                BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(indexAt + 16), 0);            // chunk 1's offset only
                break;
            case "overlaps-index":
                BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(indexAt), 0);                 // chunk 0 inside the index
                break;
        }

        var error = Assert.Throws<ShardFormatException>(() => ShardFormat.ReadIndex("arr/c/0", ByteBuffer.FromBytes(shard), layout));
        Assert.StartsWith("shard \"arr/c/0\" is corrupt: ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal("arr/c/0", error.Key);
        Assert.Throws<ShardFormatException>(() => ShardFormat.Merge("arr/c/0", ByteBuffer.FromBytes(shard), layout, [new ShardChunk(1, Bytes(1))]));
    }

    [Fact(DisplayName = "An index read alone must have the layout's length")]
    public void IndexLength() =>
        Assert.Contains("its index is 3 bytes, but 4 inner chunks need 68", Assert.Throws<ShardFormatException>(() => ShardFormat.ReadIndex("k", new byte[3], End)).Message);

    [Fact(DisplayName = "Merges with a duplicate, out-of-range or null inner chunk, and layouts without chunks, are argument errors")]
    public void BadArguments()
    {
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => ShardFormat.Merge("k", null, End, [new ShardChunk(1, Bytes(1)), new ShardChunk(1, null)])).Message);
        Assert.Contains("outside a shard of 4", Assert.Throws<ArgumentException>(() => ShardFormat.Merge("k", null, End, [new ShardChunk(4, Bytes(1))])).Message);
        Assert.Throws<ArgumentException>(() => ShardFormat.Merge("k", null, End, [new ShardChunk(-1, Bytes(1))]));
        Assert.Throws<ArgumentException>(() => ShardFormat.Merge("k", null, End, [null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardLayout(0, ShardIndexLocation.End, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardLayout(1, (ShardIndexLocation)7, true));
        Assert.Throws<ArgumentException>(() => ShardFormat.Build(End, [null]));
    }

    private static ByteBuffer Bytes(params byte[] bytes) => ByteBuffer.FromBytes(bytes);

    private static ByteBuffer?[] Chunks(ByteBuffer shard, ShardLayout layout)
    {
        var index = ShardFormat.ReadIndex("k", shard, layout);
        return Enumerable.Range(0, layout.ChunkCount).Select(i => ShardFormat.InnerChunk(shard, index, i)).ToArray();
    }
}
