using System.Text;
using Zarr.Actors;
using Zarr.Actors.Shards;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>Bad input fails with an exception naming the array and what is wrong, and writes nothing.</summary>
public sealed class BadInputTests
{
    [Fact(DisplayName = "Opening a malformed zarr.json fails naming the array; a missing one is KeyNotFoundException")]
    public async Task MalformedZarrJson()
    {
        var store = new MemoryStore();
        await store.SetAsync("bad/zarr.json", ByteBuffer.FromBytes("{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [2"u8));
        var error = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "bad"));
        Assert.StartsWith("array \"bad\": bad/zarr.json: not valid JSON", error.Message);

        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => ZarrArray.OpenAsync(store, "nothing/here"));
        Assert.Contains("\"nothing/here\"", missing.Message);
        Assert.Contains("not an array", (await Assert.ThrowsAsync<ZarrFormatException>(async () =>
        {
            await ZarrGroup.CreateAsync(store, "grp");
            await ZarrArray.OpenAsync(store, "grp");
        })).Message);
    }

    [Fact(DisplayName = "Opening an array with an unknown codec fails naming the array and the codec")]
    public async Task UnknownCodec()
    {
        var store = new MemoryStore();
        var json = Encoding.UTF8.GetString(new ArrayMetadata([4], DataType.Int32, [2]).ToJson())
            .Replace("\"name\": \"bytes\"", "\"name\": \"lz4\"");
        await store.SetAsync("u/zarr.json", ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(json)));
        var error = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "u"));
        Assert.Contains("array \"u\"", error.Message);
        Assert.Contains("codec \"lz4\" is not supported", error.Message);
    }

    [Fact(DisplayName = "A shard with a bad index crc32c fails reads and writes naming the array and the shard, and nothing changes")]
    public async Task CorruptShardIndex()
    {
        foreach (var store in new RecordingStore[] { new RecordingStore(), new RecordingShardStore() })
        {
            var array = await ZarrArray.CreateAsync(store, "s", ArrayLayouts.Get("sharded-end"));
            await array.WriteAsync(ArrayLayouts.Values([13, 9], DataType.Float32, new Random(4)));
            var shard = (await store.GetAsync("s/c/0/0"))!.ToArray();
            shard[^10] ^= 0x40;                               // a byte of the index, which the crc32c covers
            await store.SetAsync("s/c/0/0", ByteBuffer.FromBytes(shard));
            var before = await store.SnapshotAsync();

            var read = await Assert.ThrowsAsync<ZarrFormatException>(() => array.ReadAsync([0..2, 0..2]));
            Assert.Contains("array \"s\"", read.Message);
            Assert.Contains("\"s/c/0/0\"", read.Message);
            Assert.Contains("crc32c", read.Message);
            Assert.Equal("s/c/0/0", read.Key);
            Assert.IsType<ShardFormatException>(read.InnerException);
            await Assert.ThrowsAsync<ZarrFormatException>(() => array.ReadAsync());

            // Part of an inner chunk (so the shard is read first), plus a whole other shard in the same write.
            var write = await Assert.ThrowsAsync<ZarrFormatException>(() => array.WriteAsync([1..9, 0..7], ArrayLayouts.Values([8, 7], DataType.Float32, new Random(5))));
            Assert.Contains("crc32c", write.Message);
            Assert.Equal(before, await store.SnapshotAsync());

            // Whole inner chunks need no read, so the merge itself meets the corrupt shard and leaves it as it was.
            var merge = await Assert.ThrowsAsync<ZarrFormatException>(() => array.WriteAsync([0..4, 0..3], ArrayLayouts.Values([4, 3], DataType.Float32, new Random(6))));
            Assert.Contains("\"s/c/0/0\"", merge.Message);
            Assert.Equal(before, await store.SnapshotAsync());
        }
    }

    [Fact(DisplayName = "A chunk that does not decode fails a write that needs it before any chunk is stored")]
    public async Task CorruptChunkWritesNothing()
    {
        var store = new RecordingStore();
        var array = await ZarrArray.CreateAsync(store, "g", ArrayLayouts.Get("gzip-transpose"));
        await array.WriteAsync(ArrayLayouts.Values([9, 11], DataType.Float64, new Random(7)));
        await store.SetAsync("g/c.1.1", ByteBuffer.FromBytes("not gzip at all"u8));
        var before = await store.SnapshotAsync();

        var error = await Assert.ThrowsAsync<ZarrFormatException>(() => array.WriteAsync([0..9, 0..7], ArrayLayouts.Values([9, 7], DataType.Float64, new Random(8))));
        Assert.Contains("array \"g\"", error.Message);
        Assert.Contains("\"g/c.1.1\" does not decode", error.Message);
        Assert.Equal(before, await store.SnapshotAsync());
    }

    [Fact(DisplayName = "A region outside the array fails naming the array, and writes nothing")]
    public async Task OutOfBounds()
    {
        var store = new RecordingStore();
        var array = await ZarrArray.CreateAsync(store, "o", new ArrayMetadata([10, 7], DataType.Int32, [4, 3]));
        var before = await store.SnapshotAsync();
        var writes = store.Writes.Count;

        var read = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync([0..11, 0..7]));
        Assert.Contains("array \"o\"", read.Message);
        Assert.Contains("outside its length 10", read.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync([9, 0], [2, 7]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.WriteAsync([-1, 0], NDBuffer.Create([1, 1], DataType.Int32)));
        var write = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.WriteAsync([5, 5], NDBuffer.Create([5, 3], DataType.Int32)));
        Assert.Contains("outside the array's shape (10, 7)", write.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync([0..1]));
        Assert.Equal(before, await store.SnapshotAsync());
        Assert.Equal(writes, store.Writes.Count);
    }

    [Fact(DisplayName = "Values of another data type or shape fail naming the array, and write nothing")]
    public async Task DataTypeMismatch()
    {
        var store = new RecordingStore();
        var array = await ZarrArray.CreateAsync(store, "d", new ArrayMetadata([4], DataType.Float64, [2]));
        var before = await store.SnapshotAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync([0..4], NDBuffer.Create([4], DataType.Float32)));
        Assert.Equal("array \"d\" holds float64, but the values are float32 (Parameter 'values')", error.Message);
        var shape = await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync([0..4], NDBuffer.Create([3], DataType.Float64)));
        Assert.Contains("do not fit the region", shape.Message);
        Assert.Equal(before, await store.SnapshotAsync());
    }

    [Fact(DisplayName = "Creating an array with invalid metadata, over an existing node or under an array fails and writes nothing")]
    public async Task BadCreates()
    {
        var store = new RecordingStore();
        var invalid = new ArrayMetadata([8, 8], DataType.Int32, [4, 4], codecs: [new ShardingCodec([3, 3], [new BytesCodec()])]);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.CreateAsync(store, "x/y", invalid));
        Assert.Contains("array \"x/y\"", error.Message);
        Assert.Contains("does not divide the shard shape", error.Message);
        Assert.Empty(store.Writes);

        await ZarrArray.CreateAsync(store, "x", new ArrayMetadata([2], DataType.Int8, [2]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ZarrArray.CreateAsync(store, "x", new ArrayMetadata([3], DataType.Int8, [3])));
        Assert.Equal([2L], (await ZarrArray.OpenAsync(store, "x")).Shape);
        var under = await Assert.ThrowsAsync<InvalidOperationException>(() => ZarrArray.CreateAsync(store, "x/y", new ArrayMetadata([2], DataType.Int8, [2])));
        Assert.Contains("\"x\" above it is an array", under.Message);
        Assert.False(await store.ExistsAsync("x/y/zarr.json"));
        await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.CreateAsync(store, "a/../b", new ArrayMetadata([2], DataType.Int8, [2])));
    }

    [Fact(DisplayName = "Asking for merges from a store that cannot merge fails when the array is opened")]
    public async Task MergeNeedsShardStore()
    {
        var store = new RecordingStore();
        await ZarrArray.CreateAsync(store, "m", ArrayLayouts.Get("sharded-end"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.OpenAsync(store, "m", new ArrayOptions { PartialShardWrites = PartialShardWrites.Merge }));
        Assert.Contains("need an IShardStore", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.OpenAsync(store, "m", new ArrayOptions { PartialShardWrites = PartialShardWrites.CompareAndSet }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ZarrArray.OpenAsync(store, "m", new ArrayOptions { MaxConcurrency = 0 }));
    }
}
