using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Zarr.Actors.Shards;
using Zarr.Arrays;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Actors.Host;

/// <summary>
/// <c>PATCH /{shard key}</c>: merges inner chunks into a <c>sharding_indexed</c> shard: a
/// <c>multipart/form-data</c> (or any <c>multipart/*</c>) body with one part per inner chunk, named by its
/// position in the shard's grid of inner chunks (<c>"i,j"</c>; a part with no bytes empties that inner
/// chunk), and the shard's layout in the query (<c>?chunks=4,4&amp;index=end&amp;checksum=crc32c&amp;endian=little</c>)
/// or, without <c>chunks</c>, from the <c>zarr.json</c> of the array above the key. Anything wrong is a
/// <see cref="HttpRefusal"/> (400, 413) that names the key (and the array) and what is wrong, and merges
/// nothing; so is a corrupt stored shard, which stays as it was. The answer: <c>201</c> (a new shard) or
/// <c>204</c>, with the shard's new <c>ETag</c> (none when no inner chunk is left and the key is deleted).
/// </summary>
public static class ShardPatch
{
    private const string Operation = OperationNames.MergeShard;

    public static async Task ServeAsync(HttpContext context, IStore store, long limit, string key)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Refused before the body is read, in the contract's order: read-only, the key, then the request.
        StoreBase.RefuseBadWrite(store, Operation, key);
        if (store is not IShardStore shards)
        {
            throw new HttpRefusal(StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"{Operation} {KeyRules.Quote(key)}: this node's store cannot merge shards");
        }

        var merge = await ReadAsync(context.Request, store, limit, key, context.RequestAborted);
        WriteResult result;
        try
        {
            result = await shards.MergeShardAsync(key, merge.Layout, merge.Chunks, context.RequestAborted);
        }
        catch (ShardFormatException e)
        {
            var array = merge.ArrayPath is null ? string.Empty : $" (array {KeyRules.Quote(merge.ArrayPath)})";
            throw new HttpRefusal(StatusCodes.Status400BadRequest, "Corrupt shard", $"{Operation}{array}: {e.Message}; it was left as it was");
        }

        context.Response.StatusCode = result.Outcome == WriteOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
        if (result.Tag is not null)
        {
            context.Response.Headers.ETag = result.Tag;
        }
    }

    /// <summary>Reads the layout, then the parts; nothing is merged yet.</summary>
    private static async Task<Request> ReadAsync(HttpRequest request, IStore store, long limit, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        var boundary = Boundary(request, key);
        var (layout, grid, array) = request.Query.ContainsKey("chunks")
            ? FromQuery(request.Query, key)
            : await FromMetadataAsync(request.Query, store, key, ct);
        if (request.ContentLength > limit)
        {
            throw TooLarge(key, $"{request.ContentLength} bytes is over this node's limit of {limit}");
        }

        var (chunks, bytes) = await ReadPartsAsync(request.Body, boundary, grid, limit, key, array, ct);
        return new Request(layout, chunks, bytes, array);
    }

    /// <summary>What a PATCH asks for: the layout, the inner chunks, their bytes, and the array its layout came from.</summary>
    private sealed record Request(ShardLayout Layout, IReadOnlyList<ShardChunk> Chunks, long Bytes, string? ArrayPath);

    private static string Boundary(HttpRequest request, string key)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
            type.MediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) &&
            HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary)
        {
            return boundary;
        }

        throw Bad(key, null, $"the body must be multipart/form-data (one part per inner chunk, named \"i,j\"), not {(request.ContentType is { } sent ? $"\"{sent}\"" : "without a Content-Type")}");
    }

    /// <summary>The layout the query gives: <c>chunks</c> (inner chunks per shard, per axis), <c>index</c>, <c>checksum</c>, <c>endian</c>.</summary>
    private static (ShardLayout, int[], string?) FromQuery(IQueryCollection query, string key)
    {
        var text = query["chunks"].ToString();
        var grid = text.Split(',').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : -1).ToArray();
        var total = grid.Aggregate(1L, (n, count) => n * Math.Max(count, 0));
        if (grid.Any(count => count < 0) || total > ShardLayout.MaxChunkCount)
        {
            throw Bad(key, null, $"chunks=\"{text}\" is not the shard's inner chunk counts per axis (positive integers, e.g. chunks=4,4, at most {ShardLayout.MaxChunkCount} in all)");
        }

        var layout = new ShardLayout((int)total,
            Choice(query, "index", key, ("end", ShardIndexLocation.End), ("start", ShardIndexLocation.Start)),
            Choice(query, "checksum", key, ("crc32c", true), ("none", false)),
            Choice(query, "endian", key, ("little", false), ("big", true)));
        return (layout, grid, null);
    }

    /// <summary>A query parameter that takes one of <paramref name="values"/>; the first is its default.</summary>
    private static T Choice<T>(IQueryCollection query, string name, string key, params (string Text, T Value)[] values)
    {
        if (!query.TryGetValue(name, out var given))
        {
            return values[0].Value;
        }

        foreach (var (text, value) in values)
        {
            if (string.Equals(given.ToString(), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw Bad(key, null, $"{name}=\"{given}\" is not one of {string.Join(", ", values.Select(v => v.Text))}");
    }

    /// <summary>
    /// The layout of the nearest array above <paramref name="key"/> (the nearest <c>zarr.json</c> must be one),
    /// after checking that the key is one of its shards.
    /// </summary>
    private static async Task<(ShardLayout, int[], string?)> FromMetadataAsync(IQueryCollection query, IStore store, string key, CancellationToken ct)
    {
        if (new[] { "index", "checksum", "endian" }.FirstOrDefault(query.ContainsKey) is { } alone)
        {
            throw Bad(key, null, $"{alone} is given without chunks: give the whole layout (chunks=…) or none, to read it from the array's zarr.json");
        }

        var paths = new List<string>();
        for (var path = KeyRules.ParentOf(key); ; path = KeyRules.ParentOf(path))
        {
            paths.Add(path);
            if (path.Length == 0)
            {
                break;
            }
        }

        var documents = await store.GetPartialValuesAsync(null, paths.Select(path => (MetadataKey(path), (ByteRequest?)null)), ct);
        var nearest = Enumerable.Range(0, paths.Count).FirstOrDefault(i => documents[i] is not null, -1);
        if (nearest < 0)
        {
            throw Bad(key, null, "no layout is given (?chunks=…) and there is no zarr.json above the key to read it from");
        }

        var arrayPath = paths[nearest];
        ZarrArray array;
        try
        {
            array = await ZarrArray.OpenAsync(store, arrayPath, ct: ct);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw Bad(key, arrayPath, $"no layout is given, and the metadata above the key, \"{MetadataKey(arrayPath)}\", gives none: {e.Message}");
        }

        if (array.ShardLayout is not { } layout)
        {
            throw Bad(key, arrayPath, "its chunks are not shards that can be merged inner chunk by inner chunk (sharding_indexed must be its whole codec chain)");
        }

        if (!IsShardKey(array, key))
        {
            throw Bad(key, arrayPath, $"the key is not one of its shards (those are named like \"{array.ChunkKey(new long[array.Metadata.Rank])}\")");
        }

        var inner = array.Metadata.Codecs.OfType<ShardingCodec>().First().ChunkShape;
        return (layout, array.Metadata.ChunkShape.Zip(inner, (shard, chunk) => shard / chunk).ToArray(), arrayPath);
    }

    private static bool IsShardKey(ZarrArray array, string key)
    {
        var relative = array.Path.Length == 0 ? key : key[(array.Path.Length + 1)..];
        var encoding = array.Metadata.ChunkKeyEncoding;
        var names = relative.Split(encoding.Separator);
        var indexes = (encoding.Name == "default" ? names.Skip(1) : names).ToArray();
        if (array.Metadata.Rank == 0 || indexes.Length != array.Metadata.Rank)
        {
            return array.Metadata.Rank == 0 && key == array.ChunkKey();
        }

        var grid = new long[indexes.Length];
        for (var axis = 0; axis < indexes.Length; axis++)
        {
            if (!long.TryParse(indexes[axis], NumberStyles.None, CultureInfo.InvariantCulture, out grid[axis]))
            {
                return false;
            }
        }

        try
        {
            return array.ChunkKey(grid) == key;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static async Task<(List<ShardChunk>, long)> ReadPartsAsync(Stream body, string boundary, int[] grid, long limit, string key, string? array, CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, body) { HeadersCountLimit = 16 };
        var buffer = new byte[81920];
        var chunks = new List<ShardChunk>();
        var seen = new HashSet<int>();
        long total = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                    : null;
                if (string.IsNullOrEmpty(name))
                {
                    throw Bad(key, array, "a part has no name: name each part by its inner chunk's position in the shard, e.g. \"0,1\"");
                }

                var index = Position(name, grid) ?? throw Bad(key, array,
                    $"part \"{name}\" is not the position of an inner chunk in a shard of {string.Join(" x ", grid)} inner chunks (write it as \"{string.Join(",", grid.Select((_, axis) => (char)('i' + axis)))}\", from 0)");
                if (!seen.Add(index))
                {
                    throw Bad(key, array, $"part \"{name}\" is given twice");
                }

                using var bytes = new MemoryStream();
                for (int n; (n = await section.Body.ReadAsync(buffer, ct)) > 0;)
                {
                    total += n;
                    if (total > limit)
                    {
                        throw TooLarge(key, $"the inner chunks are over this node's limit of {limit} bytes");
                    }

                    bytes.Write(buffer, 0, n);
                }

                chunks.Add(new ShardChunk(index, bytes.Length == 0 ? null : ByteBuffer.FromMemory(bytes.GetBuffer().AsMemory(0, (int)bytes.Length))));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
        {
            throw Bad(key, array, $"the body is not valid multipart: {e.Message}");
        }

        return chunks.Count > 0 ? (chunks, total) : throw Bad(key, array, "the body has no parts: give one per inner chunk to merge");
    }

    /// <summary>The C-order index of the inner chunk at <paramref name="name"/> ("i,j") in <paramref name="grid"/>; null when it is none.</summary>
    private static int? Position(string name, int[] grid)
    {
        var coordinates = name.Split(',');
        if (coordinates.Length != grid.Length)
        {
            return null;
        }

        long index = 0;
        for (var axis = 0; axis < grid.Length; axis++)
        {
            if (!int.TryParse(coordinates[axis], NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at >= grid[axis])
            {
                return null;
            }

            index = index * grid[axis] + at;
        }

        return (int)index;
    }

    private static string MetadataKey(string path) => path.Length == 0 ? "zarr.json" : path + "/zarr.json";

    private static HttpRefusal Bad(string key, string? array, string problem) =>
        HttpRefusal.BadRequest($"{Operation} {KeyRules.Quote(key)}{(array is null ? string.Empty : $" (array {KeyRules.Quote(array)})")}: {problem}; nothing was merged");

    private static HttpRefusal TooLarge(string key, string problem) =>
        new(StatusCodes.Status413PayloadTooLarge, "Value too large", $"{Operation} {KeyRules.Quote(key)}: {problem}");
}
