using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zarr.Arrays.Codecs;

/// <summary>
/// A codec this implementation does not know, marked <c>"must_understand": false</c>: the spec lets a
/// reader ignore it, so it is kept in the metadata as written and not run.
/// </summary>
public sealed class IgnoredCodec : Codec
{
    private readonly JsonObject _definition;

    internal IgnoredCodec(string name, JsonObject definition)
    {
        Name = name;
        _definition = definition;
    }

    public override string Name { get; }

    /// <summary>A copy of the codec's object as it was read.</summary>
    public JsonObject Definition => (JsonObject)_definition.DeepClone();

    internal override CodecKind Kind => CodecKind.Ignored;

    internal override bool WriteConfiguration(Utf8JsonWriter writer) => false;

    internal override void WriteJson(Utf8JsonWriter writer) => _definition.WriteTo(writer);
}
