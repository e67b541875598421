using System.Text;
using System.Text.Json.Nodes;
using Zarr.Actors.Shards;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>zarr.json read and written as the Zarr v3 core spec says, against the spec's own examples.</summary>
public sealed class MetadataTests
{
    // The array example of the core spec ("Array metadata", Example).
    private const string SpecArrayExample = """
        {
            "zarr_format": 3,
            "node_type": "array",
            "shape": [10000, 1000],
            "dimension_names": ["rows", "columns"],
            "data_type": "float64",
            "chunk_grid": {
                "name": "regular",
                "configuration": {
                    "chunk_shape": [1000, 100]
                }
            },
            "chunk_key_encoding": {
                "name": "default",
                "configuration": {
                    "separator": "/"
                }
            },
            "codecs": [{
                "name": "bytes",
                "configuration": {
                    "endian": "little"
                }
            }],
            "fill_value": "NaN",
            "attributes": {
                "foo": 42,
                "bar": "apples",
                "baz": [1, 2, 3, 4]
            }
        }
        """;

    // The group example of the core spec.
    private const string SpecGroupExample = """
        {
            "zarr_format": 3,
            "node_type": "group",
            "attributes": {
                "spam": "ham",
                "eggs": 42
            }
        }
        """;

    // The configuration example of the sharding_indexed spec, in an array.
    private const string SpecShardingExample = """
        {
            "zarr_format": 3,
            "node_type": "array",
            "shape": [128, 96],
            "data_type": "uint16",
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [64, 64]}},
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "fill_value": 0,
            "codecs": [
                {
                    "name": "sharding_indexed",
                    "configuration": {
                        "chunk_shape": [32, 32],
                        "codecs": [
                            {"name": "bytes", "configuration": {"endian": "little"}},
                            {"name": "gzip", "configuration": {"level": 1}}
                        ],
                        "index_codecs": [
                            {"name": "bytes", "configuration": {"endian": "little"}},
                            {"name": "crc32c"}
                        ],
                        "index_location": "end"
                    }
                }
            ],
            "attributes": {}
        }
        """;

    [Fact(DisplayName = "The core spec's array example reads as written and writes back the same document")]
    public void SpecArrayExampleRoundTrips()
    {
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(SpecArrayExample), "data");

        Assert.Equal([10000L, 1000L], metadata.Shape);
        Assert.Equal(DataType.Float64, metadata.DataType);
        Assert.Equal([1000, 100], metadata.ChunkShape);
        Assert.Equal(ChunkKeyEncoding.Default, metadata.ChunkKeyEncoding);
        Assert.Equal("0x7ff8000000000000", BitConverter.ToUInt64(metadata.FillValue.Bits.Span).ToString("x16").Insert(0, "0x"));
        Assert.Equal(["rows", "columns"], metadata.DimensionNames!);
        Assert.Equal(Endianness.Little, Assert.IsType<BytesCodec>(Assert.Single(metadata.Codecs)).Endian);
        Assert.Equal(42, (int)metadata.Attributes["foo"]!);
        AssertSameJson(SpecArrayExample, metadata.ToJson());
    }

    [Fact(DisplayName = "The core spec's group example reads as written and writes back the same document")]
    public void SpecGroupExampleRoundTrips()
    {
        var metadata = GroupMetadata.Parse(Encoding.UTF8.GetBytes(SpecGroupExample), "g");

        Assert.Equal("ham", (string)metadata.Attributes["spam"]!);
        AssertSameJson(SpecGroupExample, metadata.ToJson());
    }

    [Fact(DisplayName = "The sharding spec's configuration example reads into its codecs and writes back the same document")]
    public void SpecShardingExampleRoundTrips()
    {
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(SpecShardingExample), "s");

        var sharding = Assert.IsType<ShardingCodec>(Assert.Single(metadata.Codecs));
        Assert.Equal([32, 32], sharding.ChunkShape);
        Assert.Equal(ShardIndexLocation.End, sharding.IndexLocation);
        Assert.Equal(1, Assert.IsType<GzipCodec>(sharding.Codecs[1]).Level);
        Assert.IsType<Crc32cCodec>(sharding.IndexCodecs[1]);
        AssertSameJson(SpecShardingExample, metadata.ToJson());
    }

    [Fact(DisplayName = "Short-hand names, v2 keys and the default separators read as the spec says")]
    public void ShortHandNamesAndDefaults()
    {
        var json = """
            {"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": {"name": "uint8"},
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
             "chunk_key_encoding": {"name": "v2"}, "fill_value": 7,
             "codecs": ["bytes", "crc32c"]}
            """;
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(ChunkKeyEncoding.V2('.'), metadata.ChunkKeyEncoding);
        Assert.Null(Assert.IsType<BytesCodec>(metadata.Codecs[0]).Endian);
        Assert.IsType<Crc32cCodec>(metadata.Codecs[1]);
        Assert.Equal((byte)7, metadata.FillValue.Value);
        Assert.Equal("c/1/23", ChunkKeyEncoding.Default.KeyOf([1, 23]));
        Assert.Equal("c.1.23", ChunkKeyEncoding.DefaultWith('.').KeyOf([1, 23]));
        Assert.Equal("c", ChunkKeyEncoding.Default.KeyOf([]));
        Assert.Equal("1.23.45", ChunkKeyEncoding.V2().KeyOf([1, 23, 45]));
        Assert.Equal("1/23", ChunkKeyEncoding.V2('/').KeyOf([1, 23]));
        Assert.Equal("0", ChunkKeyEncoding.V2().KeyOf([]));
    }

    [Theory(DisplayName = "Fill values use the spec's JSON encodings and round-trip bit for bit")]
    [InlineData("float64", "\"NaN\"", "000000000000f87f")]
    [InlineData("float64", "\"Infinity\"", "000000000000f07f")]
    [InlineData("float64", "\"-Infinity\"", "000000000000f0ff")]
    [InlineData("float64", "\"0x7ff8000000000001\"", "010000000000f87f")]
    [InlineData("float64", "-0.0", "0000000000000080")]
    [InlineData("float64", "0.1", "9a9999999999b93f")]
    [InlineData("float32", "\"NaN\"", "0000c07f")]
    [InlineData("float32", "\"0xffc00000\"", "0000c0ff")]
    [InlineData("float32", "0.1", "cdcccc3d")]
    [InlineData("float16", "\"NaN\"", "007e")]
    [InlineData("float16", "1.5", "003e")]
    [InlineData("complex64", "[1.0, \"-Infinity\"]", "0000803f000080ff")]
    [InlineData("complex128", "[\"NaN\", 2.5]", "000000000000f87f0000000000000440")]
    [InlineData("int64", "-9223372036854775808", "0000000000000080")]
    [InlineData("uint64", "18446744073709551615", "ffffffffffffffff")]
    [InlineData("int8", "-1", "ff")]
    [InlineData("bool", "true", "01")]
    [InlineData("r16", "[1, 255]", "01ff")]
    public void FillValueEncodings(string dataType, string json, string bits)
    {
        var document = $$$"""
            {"zarr_format": 3, "node_type": "array", "shape": [2], "data_type": "{{{dataType}}}",
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
             "chunk_key_encoding": {"name": "default"}, "fill_value": {{{json}}},
             "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}
            """;
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(document));

        Assert.Equal(bits, Convert.ToHexStringLower(metadata.FillValue.Bits.Span));
        var written = JsonNode.Parse(metadata.ToJson())!["fill_value"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), written), $"wrote {written.ToJsonString()} for {json}");
        Assert.Equal(bits, Convert.ToHexStringLower(ArrayMetadata.Parse(metadata.ToJson()).FillValue.Bits.Span));
    }

    [Fact(DisplayName = "FillValue.Of turns a .NET NaN (negative in its bits) into the spec's NaN and refuses integers out of range")]
    public void FillValueOf()
    {
        Assert.Equal("\"NaN\"", FillValue.Of(DataType.Float64, double.NaN).ToString());
        Assert.Equal("\"NaN\"", FillValue.Of(DataType.Float32, float.NaN).ToString());
        Assert.Equal("-1", FillValue.Of(DataType.Int16, -1).ToString());
        Assert.Equal("[1.0,-2.0]", FillValue.Of(DataType.Complex64, new System.Numerics.Complex(1, -2)).ToString());
        Assert.Equal("0", FillValue.Of(DataType.UInt32, null).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => FillValue.Of(DataType.UInt8, 256));
        Assert.Throws<ArgumentException>(() => FillValue.Of(DataType.Int32, 1.5));
    }

    [Fact(DisplayName = "Extra fields marked must_understand false are kept as read; others fail naming the field")]
    public void MustUnderstand()
    {
        var ignorable = SpecArrayExample.Replace("\"zarr_format\": 3,", "\"zarr_format\": 3, \"my_extension\": {\"must_understand\": false, \"x\": 1},");
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(ignorable), "data");
        Assert.Equal(1, (int)metadata.IgnoredFields["my_extension"]["x"]!);
        AssertSameJson(ignorable, metadata.ToJson());

        var required = SpecArrayExample.Replace("\"zarr_format\": 3,", "\"zarr_format\": 3, \"my_extension\": {\"x\": 1},");
        var error = Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(required), "data"));
        Assert.Contains("\"data\"", error.Message);
        Assert.Contains("my_extension", error.Message);
        Assert.Equal("data/zarr.json", error.Key);
    }

    [Fact(DisplayName = "An unknown codec fails naming it, unless it is marked must_understand false, then it is kept and skipped")]
    public void UnknownCodecs()
    {
        var unknown = SpecArrayExample.Replace("\"codecs\": [{", "\"codecs\": [{\"name\": \"blosc\", \"configuration\": {}}, {");
        var error = Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(unknown), "data"));
        Assert.Contains("\"blosc\" is not supported", error.Message);
        Assert.Contains("array \"data\"", error.Message);

        var optional = SpecArrayExample.Replace("\"codecs\": [{", "\"codecs\": [{\"name\": \"my.checker\", \"must_understand\": false}, {");
        var metadata = ArrayMetadata.Parse(Encoding.UTF8.GetBytes(optional), "data");
        Assert.IsType<IgnoredCodec>(metadata.Codecs[0]);
        AssertSameJson(optional, metadata.ToJson());
    }

    [Theory(DisplayName = "A malformed zarr.json fails with ZarrFormatException naming the array and what is wrong")]
    [InlineData("{\"zarr_format\": 3, \"node_type\": \"array\"", "not valid JSON")]
    [InlineData("[]", "not an object")]
    [InlineData("{\"zarr_format\": 2, \"node_type\": \"array\"}", "zarr_format is 2")]
    [InlineData("{\"zarr_format\": 3, \"node_type\": \"group\"}", "it is a group, not an array")]
    [InlineData("{\"zarr_format\": 3, \"node_type\": \"array\"}", "\"shape\" is missing")]
    public void Malformed(string json, string problem)
    {
        var error = Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(json), "a/b"));
        Assert.Contains(problem, error.Message);
        Assert.StartsWith("array \"a/b\": a/b/zarr.json: ", error.Message);
        Assert.Equal("a/b", error.Path);
    }

    [Theory(DisplayName = "Metadata the spec does not allow fail naming the field")]
    [InlineData("\"shape\": [10000, 1000]", "\"shape\": [10000, -1]", "shape holds -1")]
    [InlineData("\"data_type\": \"float64\"", "\"data_type\": \"float128\"", "data_type \"float128\" is not supported")]
    [InlineData("\"chunk_shape\": [1000, 100]", "\"chunk_shape\": [1000]", "has 1 axes")]
    [InlineData("\"name\": \"regular\"", "\"name\": \"rectilinear\"", "chunk_grid \"rectilinear\" is not supported")]
    [InlineData("\"separator\": \"/\"", "\"separator\": \"-\"", "\"separator\" is \"-\"")]
    [InlineData("\"fill_value\": \"NaN\"", "\"fill_value\": \"nan\"", "fill_value \"nan\" is not a 64-bit float")]
    [InlineData("\"endian\": \"little\"", "\"endian\": \"middle\"", "\"endian\" is \"middle\"")]
    [InlineData("\"endian\": \"little\"", "\"endian\": 4", "\"endian\" is 4, not \"little\" or \"big\"")]
    [InlineData("\"codecs\": [{", "\"codecs\": [{\"name\": \"gzip\", \"configuration\": {\"level\": \"max\"}}, {", "\"level\" is \"max\", not an integer 0-9")]
    [InlineData("\"endian\": \"little\"", "\"level\": 1", "codec bytes in codecs: configuration has \"level\", which it does not know")]
    [InlineData("\"dimension_names\": [\"rows\", \"columns\"]", "\"dimension_names\": [\"rows\"]", "dimension_names has 1 names")]
    [InlineData("\"attributes\": {", "\"storage_transformers\": [{\"name\": \"x\"}], \"attributes\": {", "storage transformer \"x\" is not supported")]
    public void NotAllowed(string field, string replacement, string problem)
    {
        var json = SpecArrayExample.Replace(field, replacement);
        Assert.NotEqual(SpecArrayExample, json);
        var error = Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(json), "data"));
        Assert.Contains(problem, error.Message);
    }

    [Fact(DisplayName = "The codec chain must be array-to-array, one array-to-bytes, then bytes-to-bytes")]
    public void CodecOrder()
    {
        var gzipFirst = SpecArrayExample.Replace("\"codecs\": [{", "\"codecs\": [{\"name\": \"gzip\", \"configuration\": {\"level\": 1}}, {");
        Assert.Contains("gzip cannot come before", Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(gzipFirst))).Message);
        var twoBytes = SpecArrayExample.Replace("\"codecs\": [{", "\"codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"big\"}}, {");
        Assert.Contains("bytes cannot come after", Assert.Throws<ZarrFormatException>(() => ArrayMetadata.Parse(Encoding.UTF8.GetBytes(twoBytes))).Message);
        var noBytes = new ArrayMetadata([4], DataType.Int32, [2], codecs: [new TransposeCodec([0])]);
        Assert.Contains("no array-to-bytes codec", noBytes.Problem());
        var noEndian = new ArrayMetadata([4], DataType.Int32, [2], codecs: [new BytesCodec(null)]);
        Assert.Contains("the bytes codec needs \"endian\" for int32", noEndian.Problem());
    }

    private static void AssertSameJson(string expected, byte[] written)
    {
        var expectedNode = JsonNode.Parse(expected);
        var writtenNode = JsonNode.Parse(written);
        Assert.True(JsonNode.DeepEquals(expectedNode, writtenNode), $"expected\n{expectedNode}\nwrote\n{writtenNode}");
    }
}
