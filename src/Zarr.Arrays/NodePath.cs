using Zarr.Actors;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>Node paths ("" for the root, else names joined by <c>/</c>) and the groups above a new node.</summary>
internal static class NodePath
{
    /// <summary>The path without leading or trailing <c>/</c>, checked against the spec's node name rules.</summary>
    public static string Normalize(string path, string node)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        foreach (var name in trimmed.Split('/'))
        {
            var problem = name switch
            {
                "" => "has an empty name",
                _ when name.All(c => c == '.') => $"has the name \"{name}\", which is only periods",
                "zarr.json" => "has the name \"zarr.json\"",
                _ when name.StartsWith("__", StringComparison.Ordinal) => $"has the name \"{name}\", which starts with the reserved \"__\"",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ArgumentException($"{node} path \"{path}\" {problem}", nameof(path));
            }
        }

        return trimmed;
    }

    /// <summary>The key of <paramref name="name"/> under the node at <paramref name="path"/>.</summary>
    public static string Key(string path, string name) => path.Length == 0 ? name : path + "/" + name;

    /// <summary>The path of <paramref name="child"/> under <paramref name="path"/>.</summary>
    public static string Child(string path, string child) => Key(path, Normalize(child, "child"));

    /// <summary>
    /// Makes sure every node above <paramref name="path"/> is a group, creating the missing ones (as
    /// zarr-python does): set-if-absent, so concurrent creators agree, and an array above fails.
    /// </summary>
    public static async Task EnsureParentsAsync(IStore store, string path, string node, CancellationToken ct)
    {
        if (path.Length == 0)
        {
            return;
        }

        var names = path.Split('/');
        var group = ByteBuffer.FromBytes(new GroupMetadata().ToJson());
        for (var depth = 0; depth < names.Length; depth++)
        {
            var parent = string.Join('/', names.Take(depth));
            var key = MetadataJson.JoinKey(parent);
            if (await store.SetIfNotExistsAsync(key, group, ct).ConfigureAwait(false))
            {
                continue;
            }

            var existing = await store.GetAsync(key, ct: ct).ConfigureAwait(false);
            if (existing is not null && MetadataJson.ReadNodeType(existing.Span, parent) != "group")
            {
                throw new InvalidOperationException($"cannot create {node} \"{path}\": \"{parent}\" above it is an array, not a group");
            }
        }
    }
}
