using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// Reads and writes <c>zarr.json</c> as the Zarr v3 core spec says. Unknown fields fail unless they are
/// objects marked <c>"must_understand": false</c>, which are kept as read; every error names the node.
/// </summary>
internal static class MetadataJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static ArrayMetadata ReadArray(ReadOnlySpan<byte> json, string path)
    {
        var fail = Failure("array", path);
        using var document = Open(json, fail);
        var fields = Fields(document.RootElement, "array", fail);
        var shape = Take(fields, "shape", fail, e => LongList(e, fail, "shape"));
        var dataType = Take(fields, "data_type", fail, e => ReadDataType(e, fail));
        var chunkShape = Take(fields, "chunk_grid", fail, e => ReadChunkGrid(e, fail));
        var keyEncoding = Take(fields, "chunk_key_encoding", fail, e => ReadKeyEncoding(e, fail));
        var fill = Take(fields, "fill_value", fail, e => e.ValueKind == JsonValueKind.Null
            ? FillValue.Default(dataType)               // zarrita writes null when given no fill value
            : FillValue.Parse(e, dataType, fail));
        var codecs = Take(fields, "codecs", fail, e => CodecJson.ParseList(e, "codecs", fail));
        var attributes = Optional(fields, "attributes", e => ReadAttributes(e, fail)) ?? [];
        var names = Optional(fields, "dimension_names", e => e.ValueKind == JsonValueKind.Null ? null : ReadDimensionNames(e, fail));
        var ignored = new Dictionary<string, JsonNode>();
        if (fields.Members.Remove("storage_transformers", out var transformers))
        {
            ReadStorageTransformers(transformers, fail, ignored);
        }

        KeepIgnorable(fields, ignored, fail);
        var metadata = new ArrayMetadata(shape, dataType, chunkShape, fill, codecs)
        {
            ChunkKeyEncoding = keyEncoding,
            Attributes = attributes,
            DimensionNames = names,
            IgnoredFields = ignored,
        };
        return metadata.Problem() is { } problem ? throw fail(problem) : metadata;
    }

    public static GroupMetadata ReadGroup(ReadOnlySpan<byte> json, string path)
    {
        var fail = Failure("group", path);
        using var document = Open(json, fail);
        var fields = Fields(document.RootElement, "group", fail);
        var attributes = Optional(fields, "attributes", e => ReadAttributes(e, fail)) ?? [];
        var ignored = new Dictionary<string, JsonNode>();
        KeepIgnorable(fields, ignored, fail);
        return new GroupMetadata { Attributes = attributes, IgnoredFields = ignored };
    }

    /// <summary>The <c>node_type</c> of a <c>zarr.json</c>: "array" or "group" (anything else fails).</summary>
    public static string ReadNodeType(ReadOnlySpan<byte> json, string path)
    {
        var fail = Failure("node", path);
        using var document = Open(json, fail);
        return Fields(document.RootElement, null, fail).NodeType;
    }

    public static byte[] Write(ArrayMetadata metadata)
    {
        return Write("array", metadata.IgnoredFields, writer =>
        {
            WriteLongs(writer, "shape", metadata.Shape);
            writer.WriteString("data_type", metadata.DataType.Name);
            writer.WriteStartObject("chunk_grid");
            writer.WriteString("name", "regular");
            writer.WriteStartObject("configuration");
            WriteLongs(writer, "chunk_shape", metadata.ChunkShape.Select(length => (long)length).ToArray());
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("chunk_key_encoding");
            writer.WriteString("name", metadata.ChunkKeyEncoding.Name);
            writer.WriteStartObject("configuration");
            writer.WriteString("separator", metadata.ChunkKeyEncoding.Separator.ToString());
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WritePropertyName("fill_value");
            metadata.FillValue.WriteJson(writer);
            CodecJson.WriteList(writer, "codecs", metadata.Codecs);
            writer.WritePropertyName("attributes");
            metadata.AttributesView.WriteTo(writer);
            if (metadata.DimensionNames is { } names)
            {
                writer.WriteStartArray("dimension_names");
                foreach (var name in names)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }
        });
    }

    public static byte[] Write(GroupMetadata metadata) =>
        Write("group", metadata.IgnoredFields, writer =>
        {
            writer.WritePropertyName("attributes");
            metadata.AttributesView.WriteTo(writer);
        });

    private static byte[] Write(string nodeType, IReadOnlyDictionary<string, JsonNode> ignored, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            writer.WriteStartObject();
            writer.WriteNumber("zarr_format", 3);
            writer.WriteString("node_type", nodeType);
            body(writer);
            foreach (var (name, value) in ignored)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static Func<string, Exception> Failure(string node, string path) =>
        problem => new ZarrFormatException($"{node} \"{path}\": {JoinKey(path)}: {problem}") { Path = path, Key = JoinKey(path) };

    internal static string JoinKey(string path) => path.Length == 0 ? "zarr.json" : path + "/zarr.json";

    private static JsonDocument Open(ReadOnlySpan<byte> json, Func<string, Exception> fail)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw fail($"not valid JSON ({e.Message})");
        }
    }

    /// <summary>The document's members after checking <c>zarr_format</c> and <c>node_type</c>.</summary>
    private static (Dictionary<string, JsonElement> Members, string NodeType) Fields(JsonElement root, string? expected, Func<string, Exception> fail)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw fail($"the document is {CodecJson.Kind(root)}, not an object");
        }

        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!members.TryAdd(member.Name, member.Value))
            {
                throw fail($"\"{member.Name}\" appears twice");
            }
        }

        var format = Take(members, "zarr_format", fail, e => e);
        if (format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out var version) || version != 3)
        {
            throw fail($"zarr_format is {format.GetRawText()}; this reads Zarr format 3");
        }

        var nodeType = Take(members, "node_type", fail, e => e.ValueKind == JsonValueKind.String ? e.GetString()! : null);
        if (nodeType is not ("array" or "group"))
        {
            throw fail($"node_type is {(nodeType is null ? "not a string" : $"\"{nodeType}\"")}, not \"array\" or \"group\"");
        }

        if (expected is not null && nodeType != expected)
        {
            throw fail($"it is {(nodeType == "array" ? "an" : "a")} {nodeType}, not {(expected == "array" ? "an" : "a")} {expected}");
        }

        return (members, nodeType);
    }

    private static T Take<T>((Dictionary<string, JsonElement> Members, string NodeType) fields, string name, Func<string, Exception> fail, Func<JsonElement, T?> read) =>
        Take(fields.Members, name, fail, read);

    private static T Take<T>(Dictionary<string, JsonElement> members, string name, Func<string, Exception> fail, Func<JsonElement, T?> read)
    {
        if (!members.Remove(name, out var value))
        {
            throw fail($"the required field \"{name}\" is missing");
        }

        return read(value) ?? throw fail($"\"{name}\" is {value.GetRawText()}, which is not allowed there");
    }

    private static T? Optional<T>((Dictionary<string, JsonElement> Members, string NodeType) fields, string name, Func<JsonElement, T?> read) =>
        fields.Members.Remove(name, out var value) ? read(value) : default;

    private static void KeepIgnorable((Dictionary<string, JsonElement> Members, string NodeType) fields, Dictionary<string, JsonNode> ignored, Func<string, Exception> fail)
    {
        foreach (var (name, value) in fields.Members)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("must_understand", out var must) || must.ValueKind != JsonValueKind.False)
            {
                throw fail($"the field \"{name}\" is not part of Zarr v3 and not marked \"must_understand\": false");
            }

            ignored[name] = JsonNode.Parse(value.GetRawText())!;
        }
    }

    private static long[] LongList(JsonElement json, Func<string, Exception> fail, string field)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw fail($"{field} is {CodecJson.Kind(json)}, not a list of lengths");
        }

        return json.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var length) && length >= 0
            ? length
            : throw fail($"{field} holds {item.GetRawText()}, not a length (an integer from 0 to 2^63-1)")).ToArray();
    }

    private static DataType ReadDataType(JsonElement json, Func<string, Exception> fail)
    {
        var (name, configuration, _) = Extension.Read(json, "data_type", fail);
        if (configuration is { } config && config.EnumerateObject().Any())
        {
            throw fail($"data_type \"{name}\" has a configuration, which no core data type takes");
        }

        return DataType.TryParse(name, out var type)
            ? type
            : throw fail($"data_type \"{name}\" is not supported (bool, int8..int64, uint8..uint64, float16/32/64, complex64/128, r<bits>)");
    }

    private static int[] ReadChunkGrid(JsonElement json, Func<string, Exception> fail)
    {
        var (name, configuration, _) = Extension.Read(json, "chunk_grid", fail);
        if (name != "regular")
        {
            throw fail($"chunk_grid \"{name}\" is not supported (only \"regular\")");
        }

        var config = new Configuration(configuration, "chunk_grid regular", fail);
        var shape = config.Required("chunk_shape", e => e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var l) && l > 0)
            ? e.EnumerateArray().Select(i => i.GetInt32()).ToArray()
            : null, "a list of lengths from 1 to 2^31-1");
        config.RefuseOthers();
        return shape;
    }

    private static ChunkKeyEncoding ReadKeyEncoding(JsonElement json, Func<string, Exception> fail)
    {
        var (name, configuration, _) = Extension.Read(json, "chunk_key_encoding", fail);
        if (name is not ("default" or "v2"))
        {
            throw fail($"chunk_key_encoding \"{name}\" is not supported (\"default\" or \"v2\")");
        }

        var config = new Configuration(configuration, $"chunk_key_encoding {name}", fail);
        var separator = config.Optional("separator", e => e.ValueKind == JsonValueKind.String && e.GetString() is "/" or "." ? e.GetString()![0] : (char?)null, "\"/\" or \".\"");
        config.RefuseOthers();
        return name == "default" ? ChunkKeyEncoding.DefaultWith(separator ?? '/') : ChunkKeyEncoding.V2(separator ?? '.');
    }

    private static JsonObject ReadAttributes(JsonElement json, Func<string, Exception> fail) =>
        json.ValueKind == JsonValueKind.Object
            ? (JsonObject)JsonNode.Parse(json.GetRawText())!
            : throw fail($"attributes is {CodecJson.Kind(json)}, not an object");

    private static string?[] ReadDimensionNames(JsonElement json, Func<string, Exception> fail) =>
        json.ValueKind == JsonValueKind.Array
            ? json.EnumerateArray().Select(item => item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Null => null,
                _ => throw fail($"dimension_names holds {item.GetRawText()}, not a string or null"),
            }).ToArray()
            : throw fail($"dimension_names is {CodecJson.Kind(json)}, not a list");

    private static void ReadStorageTransformers(JsonElement json, Func<string, Exception> fail, Dictionary<string, JsonNode> ignored)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw fail($"storage_transformers is {CodecJson.Kind(json)}, not a list");
        }

        foreach (var entry in json.EnumerateArray())
        {
            var (name, _, mustUnderstand) = Extension.Read(entry, "a storage transformer", fail);
            if (mustUnderstand)
            {
                throw fail($"storage transformer \"{name}\" is not supported (none is)");
            }
        }

        if (json.GetArrayLength() > 0)
        {
            ignored["storage_transformers"] = JsonNode.Parse(json.GetRawText())!;
        }
    }

    private static void WriteLongs(Utf8JsonWriter writer, string name, IEnumerable<long> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
