using System.Text.Json.Nodes;
using Zarr.Actors;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>A Zarr v3 group in an <see cref="IStore"/>: its attributes, and the arrays and groups under it.</summary>
public sealed class ZarrGroup
{
    private ZarrGroup(IStore store, string path, GroupMetadata metadata)
    {
        Store = store;
        Path = path;
        Metadata = metadata;
    }

    public IStore Store { get; }

    /// <summary>The group's path in the store ("" for the root).</summary>
    public string Path { get; }

    public GroupMetadata Metadata { get; }

    public JsonObject Attributes => Metadata.Attributes;

    /// <summary>Creates the group (set-if-absent, unless <paramref name="overwrite"/>) and the missing groups above it.</summary>
    public static async Task<ZarrGroup> CreateAsync(IStore store, string path, JsonObject? attributes = null, bool overwrite = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        path = NodePath.Normalize(path, "group");
        var metadata = new GroupMetadata { Attributes = attributes ?? [] };
        await NodePath.EnsureParentsAsync(store, path, "group", ct).ConfigureAwait(false);
        var key = MetadataJson.JoinKey(path);
        var json = ByteBuffer.FromBytes(metadata.ToJson());
        if (overwrite)
        {
            await store.DeleteDirAsync(path, ct).ConfigureAwait(false);
            await store.SetAsync(key, json, ct).ConfigureAwait(false);
        }
        else if (!await store.SetIfNotExistsAsync(key, json, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"group \"{path}\": a node already exists at \"{key}\"");
        }

        return new ZarrGroup(store, path, metadata);
    }

    /// <summary>Opens the group at <paramref name="path"/>: <see cref="KeyNotFoundException"/> without <c>zarr.json</c>, <see cref="ZarrFormatException"/> when malformed.</summary>
    public static async Task<ZarrGroup> OpenAsync(IStore store, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        path = NodePath.Normalize(path, "group");
        var key = MetadataJson.JoinKey(path);
        var json = await store.GetAsync(key, ct: ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"group \"{path}\": there is no \"{key}\"");
        return new ZarrGroup(store, path, GroupMetadata.Parse(json.Span, path));
    }

    public Task<ZarrArray> CreateArrayAsync(string name, ArrayMetadata metadata, ArrayOptions? options = null, bool overwrite = false, CancellationToken ct = default) =>
        ZarrArray.CreateAsync(Store, NodePath.Child(Path, name), metadata, options, overwrite, ct);

    public Task<ZarrArray> OpenArrayAsync(string name, ArrayOptions? options = null, CancellationToken ct = default) =>
        ZarrArray.OpenAsync(Store, NodePath.Child(Path, name), options, ct);

    public Task<ZarrGroup> CreateGroupAsync(string name, JsonObject? attributes = null, CancellationToken ct = default) =>
        CreateAsync(Store, NodePath.Child(Path, name), attributes, ct: ct);

    public Task<ZarrGroup> OpenGroupAsync(string name, CancellationToken ct = default) =>
        OpenAsync(Store, NodePath.Child(Path, name), ct);

    /// <summary>The names of the arrays and groups directly under this group (children with a <c>zarr.json</c>).</summary>
    public async Task<IReadOnlyList<string>> ChildrenAsync(CancellationToken ct = default)
    {
        var names = new List<string>();
        await foreach (var name in Store.ListDirAsync(Path, ct).ConfigureAwait(false))
        {
            if (name != "zarr.json" && await Store.ExistsAsync(MetadataJson.JoinKey(NodePath.Key(Path, name)), ct).ConfigureAwait(false))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
