using Zarr.Actors;
using Zarr.Actors.Shards;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>Any box of an array reads back what was written into it, whatever the chunking and codecs.</summary>
public sealed class RegionTests
{
    public static TheoryData<string> Layouts => [.. ArrayLayouts.Names];

    [Theory(DisplayName = "Random boxes written then read match a reference array, edges and partial chunks included")]
    [MemberData(nameof(Layouts))]
    public async Task RandomBoxes(string layout)
    {
        foreach (var store in new IStore[] { new MemoryStore(), new RecordingStore() })
        {
            var metadata = ArrayLayouts.Get(layout);
            var array = await ZarrArray.CreateAsync(store, "g/a", metadata);
            var shape = metadata.Shape.Select(length => (int)length).ToArray();
            var expected = NDBuffer.Create(shape, metadata.DataType, fillValue: metadata.FillValue.Value);
            var random = new Random(layout.GetHashCode(StringComparison.Ordinal) & 0xffff);
            for (var round = 0; round < 12; round++)
            {
                var (start, box) = RandomBox(random, shape);
                var values = ArrayLayouts.Values(box, metadata.DataType, random);
                await array.WriteAsync(Ranges(start, box), values);
                expected.SetRegion(Ranges(start, box), values);

                var (readStart, readBox) = RandomBox(random, shape);
                var read = await array.ReadAsync(Ranges(readStart, readBox));
                Assert.True(read.AllEqual(expected.GetRegion(Ranges(readStart, readBox))), $"{layout}, round {round}: box {string.Join(",", readStart)}+{string.Join(",", readBox)}");
            }

            var reopened = await ZarrArray.OpenAsync(store, "g/a");
            Assert.True((await reopened.ReadAsync()).AllEqual(expected), $"{layout}: the whole array after reopening");
        }
    }

    [Fact(DisplayName = "Missing chunks and empty inner chunks read as the fill value")]
    public async Task MissingReadsFill()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", ArrayLayouts.Get("sharded-end"));
        var values = NDBuffer.Create([1, 1], DataType.Float32, fillValue: 1.5f);
        await array.WriteAsync([5..6, 4..5], values);

        var all = await array.ReadAsync();
        Assert.Equal(1.5f, all[5, 4]);
        Assert.True(float.IsNaN((float)all[0, 0]));
        Assert.True(float.IsNaN((float)all[12, 8]));
        Assert.Equal(["a/c/0/0", "a/zarr.json"], await Keys(store, "a/"));
    }

    [Fact(DisplayName = "A chunk or shard that comes to hold only the fill value is deleted, not stored")]
    public async Task FillChunksAreDeleted()
    {
        foreach (var layout in new[] { "plain", "sharded-end" })
        {
            var store = new MemoryStore();
            var metadata = ArrayLayouts.Get(layout);
            var array = await ZarrArray.CreateAsync(store, "a", metadata);
            var shape = metadata.Shape.Select(length => (int)length).ToArray();
            await array.WriteAsync(ArrayLayouts.Values(shape, metadata.DataType, new Random(1)));
            Assert.True((await Keys(store, "a/c")).Count > 1);

            await array.WriteAsync(NDBuffer.Create(shape, metadata.DataType, fillValue: metadata.FillValue.Value));
            Assert.Equal(["a/zarr.json"], await Keys(store, "a/"));
            Assert.True((await array.ReadAsync()).AllEqual(metadata.FillValue.Value));
        }
    }

    [Fact(DisplayName = "An edge chunk stores the fill value where it overhangs the array")]
    public async Task EdgeChunkOverhangIsFill()
    {
        var store = new MemoryStore();
        var metadata = new ArrayMetadata([5], DataType.Int16, [4], fillValue: -7);
        var array = await ZarrArray.CreateAsync(store, "e", metadata);
        await array.WriteAsync([4..5], NDBuffer.Create([1], DataType.Int16, fillValue: 3));

        var stored = NDBuffer.FromBytes((await store.GetAsync("e/c/1"))!, [4], DataType.Int16);
        Assert.Equal(new object[] { (short)3, (short)-7, (short)-7, (short)-7 }, Enumerable.Range(0, 4).Select(i => stored[i]).ToArray());
    }

    [Fact(DisplayName = "A read of part of a shard fetches its index by range, then only the inner chunks it needs")]
    public async Task ShardedReadsUseRanges()
    {
        var store = new RecordingStore();
        var array = await ZarrArray.CreateAsync(store, "s", ArrayLayouts.Get("sharded-end"));
        await array.WriteAsync(ArrayLayouts.Values([13, 9], DataType.Float32, new Random(2)));
        while (store.Reads.TryDequeue(out _))
        {
        }

        await array.ReadAsync([1..3, 1..2]);                 // inner chunk (0, 0) of shard (0, 0)
        var reads = store.Reads.Where(read => read.Key == "s/c/0/0").Select(read => read.Range).ToList();
        var indexLength = 4 * 16 + 4;                        // a shard of [8, 6] holds 2 x 2 inner chunks of [4, 3]
        Assert.Equal(new SuffixByteRequest(indexLength), reads[0]);
        Assert.IsType<RangeByteRequest>(reads[1]);
        Assert.Equal(new SuffixByteRequest(indexLength), reads[2]); // the index again: unchanged, so the range was of this shard
        Assert.Equal(3, reads.Count);
        Assert.DoesNotContain(store.Reads, read => read.Range is null && read.Key.StartsWith("s/c", StringComparison.Ordinal));
    }

    [Fact(DisplayName = "A write that covers a whole shard is one plain set; one that covers some inner chunks merges only those")]
    public async Task WholeShardSetPartialMerge()
    {
        var store = new RecordingShardStore();
        var array = await ZarrArray.CreateAsync(store, "m", ArrayLayouts.Get("sharded-end"));
        Assert.Equal(new ShardLayout(4, ShardIndexLocation.End, IndexChecksum: true), array.ShardLayout);
        Assert.Null((await ZarrArray.CreateAsync(store, "o", ArrayLayouts.Get("sharded-opaque"))).ShardLayout);
        var random = new Random(3);
        await array.WriteAsync([0..8, 0..6], ArrayLayouts.Values([8, 6], DataType.Float32, random));
        Assert.Contains("m/c/0/0", store.Writes);
        Assert.Empty(store.Merges);

        await array.WriteAsync([8..13, 0..3], ArrayLayouts.Values([5, 3], DataType.Float32, random));
        var (key, chunks) = Assert.Single(store.Merges);
        Assert.Equal("m/c/1/0", key);
        Assert.Equal([0, 2], chunks.Order());               // rows 8..13 of shard (1, 0) reach inner rows 0 and 1 (the second at the edge)
        Assert.DoesNotContain("m/c/1/0", store.Writes);
    }

    [Fact(DisplayName = "Values in column-major order are written by their indices, not their bytes")]
    public async Task FortranOrderValues()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "f", new ArrayMetadata([3, 4], DataType.Int32, [2, 2]));
        var values = NDBuffer.Create([3, 4], DataType.Int32, ArrayOrder.F);
        for (var i = 0; i < 12; i++)
        {
            values[i / 4, i % 4] = i;
        }

        await array.WriteAsync(values);
        var read = await array.ReadAsync();
        Assert.Equal(ArrayOrder.C, read.Order);
        Assert.True(read.AllEqual(values));
    }

    [Fact(DisplayName = "A 0-d array stores its one element under c (or 0 with v2 keys)")]
    public async Task ZeroDimensional()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "z", new ArrayMetadata([], DataType.Float64, [], fillValue: 0.0));
        await array.WriteAsync(NDBuffer.Create([], DataType.Float64, fillValue: 42.5));
        Assert.Equal(42.5, (await array.ReadAsync()).AsScalar());
        Assert.True(await store.ExistsAsync("z/c"));

        var v2 = await ZarrArray.CreateAsync(store, "v", new ArrayMetadata([], DataType.Int8, []) { ChunkKeyEncoding = ChunkKeyEncoding.V2() });
        await v2.WriteAsync(NDBuffer.Create([], DataType.Int8, fillValue: 5));
        Assert.True(await store.ExistsAsync("v/0"));
    }

    [Fact(DisplayName = "Creating an array makes the groups above it, and a group lists its children")]
    public async Task GroupsAboveArrays()
    {
        var store = new MemoryStore();
        await ZarrArray.CreateAsync(store, "a/b/c", new ArrayMetadata([2], DataType.UInt8, [2]));
        var root = await ZarrGroup.OpenAsync(store, "");
        var a = await root.OpenGroupAsync("a");
        Assert.Equal(["b"], await a.ChildrenAsync());
        var b = await a.OpenGroupAsync("b");
        Assert.Equal([2L], (await b.OpenArrayAsync("c")).Shape);
        var group = await b.CreateGroupAsync("d", new System.Text.Json.Nodes.JsonObject { ["units"] = "m" });
        Assert.Equal("m", (string)(await ZarrGroup.OpenAsync(store, "a/b/d")).Attributes["units"]!);
        Assert.Equal(["c", "d"], await b.ChildrenAsync());
        Assert.Equal("a/b/d", group.Path);
    }

    internal static Range[] Ranges(int[] start, int[] shape) =>
        start.Zip(shape, (from, length) => new Range(from, from + length)).ToArray();

    private static (int[] Start, int[] Shape) RandomBox(Random random, int[] shape)
    {
        var start = shape.Select(length => random.Next(length)).ToArray();
        var box = shape.Select((length, axis) => 1 + random.Next(length - start[axis])).ToArray();
        return (start, box);
    }

    private static async Task<List<string>> Keys(IStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListPrefixAsync(prefix))
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}

/// <summary>The array layouts the region tests run on: chunking, sharding and codecs of every kind.</summary>
internal static class ArrayLayouts
{
    public static string[] Names => ["plain", "v2-keys", "gzip-transpose", "big-endian-crc", "zstd-3d", "sharded-end", "sharded-start", "sharded-opaque", "bool"];

    public static ArrayMetadata Get(string name) => name switch
    {
        "plain" => new ArrayMetadata([10, 7], DataType.Int32, [4, 3], fillValue: 0),
        "v2-keys" => new ArrayMetadata([10, 7], DataType.UInt16, [4, 3], fillValue: 3) { ChunkKeyEncoding = ChunkKeyEncoding.V2() },
        "gzip-transpose" => new ArrayMetadata([9, 11], DataType.Float64, [4, 5], fillValue: double.NaN,
            codecs: [new TransposeCodec([1, 0]), new BytesCodec(Endianness.Little), new GzipCodec(4)]) { ChunkKeyEncoding = ChunkKeyEncoding.DefaultWith('.') },
        "big-endian-crc" => new ArrayMetadata([17], DataType.Int64, [5], fillValue: -1L,
            codecs: [new BytesCodec(Endianness.Big), new Crc32cCodec()]),
        "zstd-3d" => new ArrayMetadata([5, 6, 7], DataType.Complex64, [2, 4, 3], codecs: [new BytesCodec(), new ZstdCodec(1, true)]),
        "sharded-end" => new ArrayMetadata([13, 9], DataType.Float32, [8, 6], fillValue: float.NaN,
            codecs: [new ShardingCodec([4, 3], [new BytesCodec(), new GzipCodec(1)])]),
        "sharded-start" => new ArrayMetadata([13, 9], DataType.UInt8, [8, 6], fillValue: 255,
            codecs: [new ShardingCodec([4, 3], [new BytesCodec(null), new Crc32cCodec()], [new BytesCodec(Endianness.Big)], ShardIndexLocation.Start)]),
        "sharded-opaque" => new ArrayMetadata([13, 9], DataType.Int16, [8, 6],
            codecs: [new TransposeCodec([1, 0]), new ShardingCodec([3, 4], [new BytesCodec(Endianness.Big)]), new Crc32cCodec()]),
        "bool" => new ArrayMetadata([6, 5], DataType.Bool, [4, 4], fillValue: true, codecs: [new BytesCodec(null), new ZstdCodec()]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such layout"),
    };

    /// <summary>Values of <paramref name="type"/> that are rarely the fill value (sometimes, to exercise deletion).</summary>
    public static NDBuffer Values(int[] shape, DataType type, Random random)
    {
        var values = NDBuffer.Create(shape, type);
        var bytes = values.AsArrayLike().Bytes.Span;
        random.NextBytes(bytes);
        if (type == DataType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }
        else if (type.IsFloatingPoint || type.IsComplex)
        {
            var index = new int[shape.Length];
            for (var i = 0; i < values.Size; i++)
            {
                var at = i;
                for (var axis = shape.Length - 1; axis >= 0; axis--)
                {
                    index[axis] = at % shape[axis];
                    at /= shape[axis];
                }

                values[index] = type.IsComplex ? new System.Numerics.Complex(random.Next(1000), -random.Next(1000)) : random.Next(100_000) / 8.0;
            }
        }

        return values;
    }
}
