using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary>Reads a <c>codecs</c> list of <c>zarr.json</c> (also a shard's inner and index codecs).</summary>
internal static class CodecJson
{
    private const string Supported = "bytes, transpose, gzip, zstd, crc32c, sharding_indexed";

    public static List<Codec> ParseList(JsonElement json, string field, Func<string, Exception> fail)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw fail($"{field} is {Kind(json)}, not a list of codecs");
        }

        var codecs = new List<Codec>();
        foreach (var entry in json.EnumerateArray())
        {
            codecs.Add(Parse(entry, field, fail));
        }

        return codecs.Count > 0 ? codecs : throw fail($"{field} is empty: it needs an array-to-bytes codec");
    }

    public static void WriteList(Utf8JsonWriter writer, string field, IEnumerable<Codec> codecs)
    {
        writer.WriteStartArray(field);
        foreach (var codec in codecs)
        {
            codec.WriteJson(writer);
        }

        writer.WriteEndArray();
    }

    private static Codec Parse(JsonElement entry, string field, Func<string, Exception> fail)
    {
        var (name, configuration, mustUnderstand) = Extension.Read(entry, $"an entry of {field}", fail);
        var where = $"codec {name} in {field}";
        var config = new Configuration(configuration, where, fail);
        Codec codec;
        try
        {
            codec = name switch
            {
                "bytes" => new BytesCodec(config.Optional("endian", e => e.GetString() switch
                {
                    "little" => Endianness.Little,
                    "big" => Endianness.Big,
                    _ => (Endianness?)null,
                }, "\"little\" or \"big\"")),
                "transpose" => new TransposeCodec(config.Required("order", IntList, "a list of axes")),
                "gzip" => new GzipCodec(config.Required("level", e => e.TryGetInt32(out var level) ? level : (int?)null, "an integer 0-9")),
                "zstd" => new ZstdCodec(
                    config.Optional("level", e => e.TryGetInt32(out var level) ? level : (int?)null, "an integer") ?? 0,
                    config.Optional("checksum", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : (bool?)null, "true or false") ?? false),
                "crc32c" => new Crc32cCodec(),
                "sharding_indexed" => new ShardingCodec(
                    config.Required("chunk_shape", IntList, "a list of lengths"),
                    config.Required("codecs", e => ParseList(e, $"{field} sharding_indexed codecs", fail), "a list of codecs"),
                    config.Required("index_codecs", e => ParseList(e, $"{field} sharding_indexed index_codecs", fail), "a list of codecs"),
                    config.Optional("index_location", e => e.GetString() switch
                    {
                        "start" => ShardIndexLocation.Start,
                        "end" => ShardIndexLocation.End,
                        _ => (ShardIndexLocation?)null,
                    }, "\"start\" or \"end\"") ?? ShardIndexLocation.End),
                _ when !mustUnderstand => new IgnoredCodec(name, (JsonObject)JsonNode.Parse(entry.GetRawText())!),
                _ => throw fail($"{where}: codec \"{name}\" is not supported (supported: {Supported}; an unknown codec may be skipped only when marked \"must_understand\": false)"),
            };
        }
        catch (ArgumentException e)
        {
            throw fail($"{where}: {e.Message}");
        }

        config.RefuseOthers();
        return codec;
    }

    private static List<int>? IntList(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<int>();
        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var value))
            {
                return null;
            }

            list.Add(value);
        }

        return list;
    }

    internal static string Kind(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
