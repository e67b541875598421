// Zarr.Arrays against real zarrita, through a running host (tests/interop/run.sh):
//   dotnet ArrayInterop.dll <url> <work>
// reads the arrays zarrita wrote (listed in <work>/zarrita-arrays.json) and checks every element, then
// writes its own arrays under dn/ and lists them in <work>/dotnet-arrays.json for zarrita to check.
using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Actors.Shards;
using Zarr.Arrays;
using Zarr.Arrays.Codecs;
using Zarr.Arrays.Interop;
using Zarr.Buffers;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ArrayInterop <url> <work directory>");
    return 2;
}

using var client = new HttpClient { BaseAddress = new Uri(args[0]) };
var store = new GatewayStore(client);
var work = args[1];

// 1. What zarrita wrote, read here.
var written = JsonNode.Parse(File.ReadAllText(Path.Combine(work, "zarrita-arrays.json")))!["arrays"]!.AsArray();
foreach (var entry in written)
{
    var path = (string)entry!["path"]!;
    var array = await ZarrArray.OpenAsync(store, path);
    var shape = entry["shape"]!.AsArray().Select(length => (long)length!).ToArray();
    Check(array.DataType.Name == (string)entry["dtype"]! && array.Shape.SequenceEqual(shape), $"{path} opens as {entry["dtype"]} [{string.Join(", ", shape)}]");
    var expected = NDBuffer.FromBytes(ByteBuffer.FromBytes(Convert.FromBase64String((string)entry["data"]!)), shape.Select(l => (int)l).ToArray(), array.DataType);
    var whole = await array.ReadAsync();
    Check(whole.ToBytes().Equals(expected.ToBytes()), $"Zarr.Arrays reads {path} ({string.Join(" + ", array.Metadata.Codecs.Select(c => c.Name))}) with exactly zarrita's values");
    var slice = shape.Select(length => new Range((int)(length / 4), (int)(length - length / 3))).ToArray();
    Check((await array.ReadAsync(slice)).ToBytes().Equals(expected.GetRegion(slice).ToBytes()), $"Zarr.Arrays reads the slice [{string.Join(", ", slice)}] of {path}");
}

// 2. Arrays written here, for zarrita. zarrita 0.7.5 reads shard indexes only at the end, so every shard here keeps it there.
var specs = new (string Path, ArrayMetadata Metadata, Range[][] Boxes, Range[]? Slice)[]
{
    ("dn/ints", new ArrayMetadata([10, 7], DataType.Int32, [4, 3], fillValue: -5), [[0..4, 0..7], [6..10, 2..5]], [3..9, 1..6]),
    ("dn/f64_transpose_be_gzip", new ArrayMetadata([9, 11], DataType.Float64, [4, 5], fillValue: double.NaN,
        codecs: [new TransposeCodec([1, 0]), new BytesCodec(Endianness.Big), new GzipCodec(5)]), [[0..9, 0..11]], null),
    ("dn/u16_zstd_crc32c_v2", new ArrayMetadata([20], DataType.UInt16, [6], fillValue: 7,
        codecs: [new BytesCodec(), new ZstdCodec(3, checksum: true), new Crc32cCodec()]) { ChunkKeyEncoding = ChunkKeyEncoding.V2() }, [[0..9], [15..20]], null),
    ("dn/f32_sharded", new ArrayMetadata([13, 9], DataType.Float32, [8, 6], fillValue: float.NaN,
        codecs: [new ShardingCodec([4, 3], [new BytesCodec(), new GzipCodec(1)])]), [[0..8, 0..6], [9..13, 3..9], [1..3, 7..8]], [1..3, 7..8]),
    ("dn/i16_sharded_be", new ArrayMetadata([16, 16], DataType.Int16, [8, 8], fillValue: 0,
        codecs: [new ShardingCodec([4, 4], [new TransposeCodec([1, 0]), new BytesCodec(Endianness.Big), new ZstdCodec(1)], [new BytesCodec(Endianness.Big)], ShardIndexLocation.End)]),
        [[0..16, 0..16], [4..8, 4..8]], [2..14, 5..11]),
    ("dn/bool_zstd", new ArrayMetadata([6, 5], DataType.Bool, [4, 4], fillValue: true, codecs: [new BytesCodec(null), new ZstdCodec()]), [[0..6, 0..3]], null),
    ("dn/i64_be_crc32c", new ArrayMetadata([5], DataType.Int64, [2], fillValue: -1L, codecs: [new BytesCodec(Endianness.Big), new Crc32cCodec()]), [[1..4]], null),
    ("dn/f64_scalar", new ArrayMetadata([], DataType.Float64, [], fillValue: 0.0), [[]], null),
};
await ZarrGroup.CreateAsync(store, "dn", new JsonObject { ["made_by"] = "Zarr.Arrays" });
var manifest = new JsonArray();
foreach (var (path, metadata, boxes, slice) in specs)
{
    var array = await ZarrArray.CreateAsync(store, path, metadata);
    var shape = metadata.Shape.Select(length => (int)length).ToArray();
    var expected = NDBuffer.Create(shape, metadata.DataType, fillValue: metadata.FillValue.Value);
    var seed = 0;
    foreach (var box in boxes)
    {
        var values = Values(expected.GetRegion(box).Shape.ToArray(), metadata.DataType, seed++);
        if (path == "dn/i16_sharded_be" && seed == 2)
        {
            values = NDBuffer.Create([4, 4], DataType.Int16);         // one inner chunk back to the fill value: empty in the index
        }

        await array.WriteAsync(box, values);
        expected.SetRegion(box, values);
    }

    var entry = new JsonObject
    {
        ["path"] = path,
        ["dtype"] = metadata.DataType.Name,
        ["shape"] = new JsonArray(shape.Select(length => (JsonNode)length).ToArray()),
        ["codecs"] = string.Join(" + ", metadata.Codecs.Select(codec => codec.Name)),
        ["data"] = Convert.ToBase64String(expected.ToBytes().Span),
    };
    if (slice is not null)
    {
        entry["slice"] = new JsonArray(slice.Select(range => (JsonNode)new JsonArray(range.Start.Value, range.End.Value)).ToArray());
        entry["sliceData"] = Convert.ToBase64String(expected.GetRegion(slice).ToBytes().Span);
    }

    manifest.Add(entry);
    Console.WriteLine($"  ok: Zarr.Arrays wrote {path} ({metadata.DataType} [{string.Join(", ", shape)}], {entry["codecs"]})");
}

File.WriteAllText(Path.Combine(work, "dotnet-arrays.json"), new JsonObject { ["arrays"] = manifest }.ToJsonString());
return 0;

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException($"check failed: {message}");
    }

    Console.WriteLine($"  ok: {message}");
}

// Values that differ element by element, with NaN among floats and the fill value now and then.
static NDBuffer Values(int[] shape, DataType type, int seed)
{
    var values = NDBuffer.Create(shape, type);
    var index = new int[shape.Length];
    for (var i = 0; i < values.Size; i++)
    {
        var at = i;
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = at % shape[axis];
            at /= shape[axis];
        }

        values[index] = type.Kind switch
        {
            DataTypeKind.Bool => (i + seed) % 3 == 0,
            DataTypeKind.Float => (i + seed) % 11 == 5 ? double.NaN : (i - 17) * 0.375 + seed,
            DataTypeKind.UnsignedInteger => (i * 1009 + seed) % 60000,
            _ => (i * 37 + seed) % 2000 - 1000,
        };
    }

    return values;
}
