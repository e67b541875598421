using Zarr.Actors;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// A Zarr v3 array in an <see cref="IStore"/>: read and write any box of it as an <see cref="NDBuffer"/>.
/// Chunks are read and written concurrently (<see cref="ArrayOptions.MaxConcurrency"/> at a time); missing
/// chunks read as the fill value, and chunks left holding only the fill value are deleted. A write that
/// covers some inner chunks of a shard merges them into it (see <see cref="PartialShardWrites"/>).
/// </summary>
public sealed class ZarrArray
{
    private readonly ArrayChunks _chunks;

    private ZarrArray(IStore store, string path, ArrayMetadata metadata, ArrayOptions options)
    {
        _chunks = new ArrayChunks(store, path, metadata, options);
        ShardUpdater.Resolve(options.PartialShardWrites, store, path);
    }

    public IStore Store => _chunks.Store;

    /// <summary>The array's path in the store ("" for the root).</summary>
    public string Path => _chunks.Path;

    public ArrayMetadata Metadata => _chunks.Metadata;

    public ArrayOptions Options => _chunks.Options;

    public IReadOnlyList<long> Shape => Metadata.Shape;

    public DataType DataType => Metadata.DataType;

    /// <summary>
    /// The layout of this array's shards when they can be merged inner chunk by inner chunk (the sharding
    /// codec is the whole codec chain); null otherwise. What a store's owner needs for a merge.
    /// </summary>
    public Zarr.Actors.Shards.ShardLayout? ShardLayout => _chunks.Shards?.Layout;

    /// <summary>
    /// Creates the array: writes its <c>zarr.json</c> (set-if-absent, so an existing node is never replaced
    /// unless <paramref name="overwrite"/>, which first deletes everything under the path) and makes the
    /// missing groups above it. Invalid metadata throw <see cref="ArgumentException"/> and write nothing.
    /// </summary>
    public static async Task<ZarrArray> CreateAsync(IStore store, string path, ArrayMetadata metadata, ArrayOptions? options = null,
        bool overwrite = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metadata);
        path = NodePath.Normalize(path, "array");
        if (metadata.Problem() is { } problem)
        {
            throw new ArgumentException($"array \"{path}\": {problem}", nameof(metadata));
        }

        var array = new ZarrArray(store, path, metadata, Check(options));
        await NodePath.EnsureParentsAsync(store, path, "array", ct).ConfigureAwait(false);
        var json = ByteBuffer.FromBytes(metadata.ToJson());
        var key = MetadataJson.JoinKey(path);
        if (overwrite)
        {
            await store.DeleteDirAsync(path, ct).ConfigureAwait(false);
            await store.SetAsync(key, json, ct).ConfigureAwait(false);
        }
        else if (!await store.SetIfNotExistsAsync(key, json, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"array \"{path}\": a node already exists at \"{key}\"");
        }

        return array;
    }

    /// <summary>
    /// Opens the array at <paramref name="path"/>: <see cref="KeyNotFoundException"/> when it has no
    /// <c>zarr.json</c>, <see cref="ZarrFormatException"/> when it is malformed, a group or unsupported.
    /// </summary>
    public static async Task<ZarrArray> OpenAsync(IStore store, string path, ArrayOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        path = NodePath.Normalize(path, "array");
        var key = MetadataJson.JoinKey(path);
        var json = await store.GetAsync(key, ct: ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"array \"{path}\": there is no \"{key}\"");
        return new ZarrArray(store, path, ArrayMetadata.Parse(json.Span, path), Check(options));
    }

    /// <summary>The key of the chunk (or shard) at <paramref name="gridIndex"/>.</summary>
    public string ChunkKey(params long[] gridIndex)
    {
        ArgumentNullException.ThrowIfNull(gridIndex);
        if (gridIndex.Length != Metadata.Rank || gridIndex.Where((index, axis) => index < 0 || index >= _chunks.Grid.GridShape[axis]).Any())
        {
            throw new ArgumentOutOfRangeException(nameof(gridIndex), $"array \"{Path}\": [{string.Join(", ", gridIndex)}] is not a chunk of the grid [{string.Join(", ", _chunks.Grid.GridShape)}]");
        }

        return _chunks.KeyOf(gridIndex);
    }

    /// <summary>The whole array.</summary>
    public Task<NDBuffer> ReadAsync(CancellationToken ct = default) =>
        Metadata.Shape.Any(length => length > int.MaxValue)
            ? throw new ArgumentOutOfRangeException(nameof(ct), $"array \"{Path}\" of shape ({string.Join(", ", Shape)}) is too long to read whole; read it in parts")
            : ReadAsync(new long[Metadata.Rank], Metadata.Shape.Select(length => (int)length).ToArray(), ct);

    /// <summary>The box <paramref name="region"/> (one range per axis, ends may count from the end).</summary>
    public Task<NDBuffer> ReadAsync(Range[] region, CancellationToken ct = default)
    {
        var (start, shape) = Resolve(region);
        return ReadAsync(start, shape, ct);
    }

    /// <summary>The box of <paramref name="shape"/> at <paramref name="start"/>, as a new C-order buffer.</summary>
    public Task<NDBuffer> ReadAsync(long[] start, int[] shape, CancellationToken ct = default)
    {
        CheckBox(start, shape);
        return RegionReader.ReadAsync(_chunks, start, shape, ct);
    }

    /// <summary>Writes the whole array (<paramref name="values"/> has the array's shape).</summary>
    public Task WriteAsync(NDBuffer values, CancellationToken ct = default) => WriteAsync(new long[Metadata.Rank], values, ct);

    /// <summary>Writes the box <paramref name="region"/>; <paramref name="values"/> has its shape and the array's data type.</summary>
    public Task WriteAsync(Range[] region, NDBuffer values, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (start, shape) = Resolve(region);
        if (!values.Shape.SequenceEqual(shape))
        {
            throw new ArgumentException($"array \"{Path}\": values of shape ({string.Join(", ", values.Shape)}) do not fit the region of shape ({string.Join(", ", shape)})", nameof(values));
        }

        return WriteAsync(start, values, ct);
    }

    /// <summary>Writes <paramref name="values"/> (of the array's data type) at <paramref name="start"/>.</summary>
    public Task WriteAsync(long[] start, NDBuffer values, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.DataType != DataType)
        {
            throw new ArgumentException($"array \"{Path}\" holds {DataType}, but the values are {values.DataType}", nameof(values));
        }

        CheckBox(start, values.Shape.ToArray());
        return RegionWriter.WriteAsync(_chunks, start, values, ct);
    }

    private static ArrayOptions Check(ArrayOptions? options)
    {
        options ??= ArrayOptions.Default;
        return options.MaxConcurrency >= 1
            ? options
            : throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "MaxConcurrency is at least 1");
    }

    private (long[] Start, int[] Shape) Resolve(Range[] region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (region.Length != Metadata.Rank)
        {
            throw new ArgumentException($"array \"{Path}\" has {Metadata.Rank} axes, but the region has {region.Length} ranges", nameof(region));
        }

        var start = new long[region.Length];
        var shape = new int[region.Length];
        for (var axis = 0; axis < region.Length; axis++)
        {
            var length = Shape[axis];
            var from = region[axis].Start.IsFromEnd ? length - region[axis].Start.Value : region[axis].Start.Value;
            var to = region[axis].End.IsFromEnd ? length - region[axis].End.Value : region[axis].End.Value;
            if (from < 0 || to > length || to < from || to - from > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(region), $"array \"{Path}\": range {region[axis]} of axis {axis} is outside its length {length}");
            }

            start[axis] = from;
            shape[axis] = (int)(to - from);
        }

        return (start, shape);
    }

    private void CheckBox(long[] start, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(shape);
        if (start.Length != Metadata.Rank || shape.Length != Metadata.Rank)
        {
            throw new ArgumentException($"array \"{Path}\" has {Metadata.Rank} axes, but the box has {start.Length} starts and {shape.Length} lengths");
        }

        for (var axis = 0; axis < start.Length; axis++)
        {
            if (start[axis] < 0 || shape[axis] < 0 || start[axis] > Shape[axis] - shape[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(start),
                    $"array \"{Path}\": the box [{Describe(start, shape)}] is outside the array's shape ({string.Join(", ", Shape)}) on axis {axis}");
            }
        }

        var size = shape.Aggregate(1L, (n, length) => n * length);
        if (size * DataType.ItemSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"array \"{Path}\": a box of {size} {DataType} elements does not fit one buffer; read or write it in parts");
        }
    }

    private static string Describe(long[] start, int[] shape) =>
        string.Join(", ", start.Zip(shape, (from, length) => $"{from}:{from + length}"));
}
