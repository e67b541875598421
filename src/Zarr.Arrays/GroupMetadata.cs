using System.Text.Json.Nodes;

namespace Zarr.Arrays;

/// <summary>A Zarr v3 group's <c>zarr.json</c>: its attributes and any fields marked <c>"must_understand": false</c>.</summary>
public sealed record GroupMetadata
{
    private readonly JsonObject _attributes = [];

    /// <summary>The user attributes (a copy: changing it changes nothing here).</summary>
    public JsonObject Attributes
    {
        get => (JsonObject)_attributes.DeepClone();
        init => _attributes = (JsonObject)(value ?? throw new ArgumentNullException(nameof(value))).DeepClone();
    }

    /// <summary>Fields this implementation does not know, marked <c>"must_understand": false</c> (such as <c>consolidated_metadata</c>), as read.</summary>
    public IReadOnlyDictionary<string, JsonNode> IgnoredFields { get; init; } = new Dictionary<string, JsonNode>();

    /// <summary>The <c>zarr.json</c> document, as UTF-8 JSON.</summary>
    public byte[] ToJson() => MetadataJson.Write(this);

    /// <summary>Reads a group's <c>zarr.json</c>; <see cref="ZarrFormatException"/> names <paramref name="path"/> and what is wrong.</summary>
    public static GroupMetadata Parse(ReadOnlySpan<byte> json, string path = "") => MetadataJson.ReadGroup(json, path);

    internal JsonObject AttributesView => _attributes;
}
