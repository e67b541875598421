using Zarr.Actors;
using Zarr.Actors.Shards;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// An opened array's chunks in its store: their keys, the codec chain, and (for a shard that is the whole
/// chain) the inner chunk grid, with reads of single inner chunks by byte ranges. Errors in stored bytes
/// become <see cref="ZarrFormatException"/>s naming the array and the key.
/// </summary>
internal sealed class ArrayChunks
{
    public ArrayChunks(IStore store, string path, ArrayMetadata metadata, ArrayOptions options)
    {
        Store = store;
        Path = path;
        Metadata = metadata;
        Options = options;
        if (!CodecChain.TryBuild(metadata.Codecs, metadata.ChunkSpec, out var chain, out var problem))
        {
            throw new ArgumentException($"array \"{path}\": {problem}");
        }

        Chain = chain;
        Grid = new ChunkGrid([.. metadata.Shape], [.. metadata.ChunkShape]);
        Shards = chain.AddressableSharding?.Bind(metadata.ChunkSpec);
    }

    public IStore Store { get; }

    public string Path { get; }

    public ArrayMetadata Metadata { get; }

    public ArrayOptions Options { get; }

    /// <summary>The chunk (or shard) codecs.</summary>
    public CodecChain Chain { get; }

    /// <summary>The grid of chunks (or shards) over the array.</summary>
    public ChunkGrid Grid { get; }

    /// <summary>The shards' geometry when shards can be read and written inner chunk by inner chunk; else null.</summary>
    public ShardGeometry? Shards { get; }

    public string KeyOf(long[] gridIndex) => NodePath.Key(Path, Metadata.ChunkKeyEncoding.KeyOf(gridIndex));

    /// <summary>A chunk-shaped buffer holding only the fill value.</summary>
    public NDBuffer NewChunk(int[] shape) => Regions.Filled(shape, Metadata.DataType, Metadata.FillValue);

    public bool IsFill(NDBuffer chunk) => Regions.IsAllFill(chunk, Metadata.FillValue);

    /// <summary>The inner chunks of the shard <paramref name="shard"/> that its box overlaps (positions relative to that box).</summary>
    public IEnumerable<GridCell> InnerCells(GridCell shard)
    {
        var geometry = Shards!;
        var grid = new ChunkGrid(shard.InBounds.Select(length => (long)length).ToArray(), geometry.Inner.Spec.Shape, geometry.Grid.GridShape);
        return grid.CellsIn(shard.CellStart.Select(start => (long)start).ToArray(), shard.Extent);
    }

    public NDBuffer Decode(ByteBuffer bytes, string key) =>
        Guard(key, () => Chain.Decode(bytes, key));

    public NDBuffer DecodeInner(ByteBuffer bytes, string key, int chunk) =>
        Guard(key, () => Shards!.Inner.Decode(bytes, $"{key} (inner chunk {chunk})"), $"inner chunk {chunk} of ");

    public ByteBuffer EncodeInner(NDBuffer chunk) => Shards!.Inner.Encode(chunk);

    public ZarrFormatException Corrupt(string key, Exception cause, string what = "") =>
        new($"array \"{Path}\": {what}chunk \"{key}\" does not decode: {cause.Message}", cause) { Path = Path, Key = key };

    /// <summary>
    /// The encoded bytes of inner chunks <paramref name="chunks"/> of the shard at <paramref name="key"/> (null
    /// where empty), read by byte ranges: the index, then the chunks; null when the shard does not exist. If
    /// the index changed meanwhile (a concurrent writer), the whole shard is read again at once.
    /// </summary>
    public async Task<Dictionary<int, ByteBuffer?>?> ReadInnerChunksAsync(string key, IReadOnlyCollection<int> chunks, CancellationToken ct)
    {
        var layout = Shards!.Layout;
        var indexBytes = await Store.GetAsync(key, byteRange: ShardFormat.IndexRange(layout), ct: ct).ConfigureAwait(false);
        if (indexBytes is null)
        {
            return null;
        }

        var index = ReadIndex(key, () => ShardFormat.ReadIndex(key, indexBytes.Span, layout));
        var wanted = chunks.Where(chunk => !index.IsEmpty(chunk)).ToArray();
        var result = chunks.ToDictionary(chunk => chunk, _ => (ByteBuffer?)null);
        if (wanted.Length == 0)
        {
            return result;
        }

        var values = await Store.GetPartialValuesAsync(null,
            wanted.Select(chunk => (key, (ByteRequest?)new RangeByteRequest(index.Offset(chunk), index.Offset(chunk) + index.Length(chunk)))),
            ct).ConfigureAwait(false);
        var whole = true;
        for (var i = 0; i < wanted.Length; i++)
        {
            result[wanted[i]] = values[i];
            whole &= values[i] is { } value && value.Length == index.Length(wanted[i]);
        }

        var again = await Store.GetAsync(key, byteRange: ShardFormat.IndexRange(layout), ct: ct).ConfigureAwait(false);
        if (again is not null && again.Span.SequenceEqual(indexBytes.Span))
        {
            return whole
                ? result
                : throw Corrupt(key, new FormatException("an inner chunk's byte range lies past the end of the shard"));
        }

        // A writer replaced the shard between the reads: the ranges may belong to another layout.
        var shard = await Store.GetAsync(key, ct: ct).ConfigureAwait(false);
        if (shard is null)
        {
            return null;
        }

        var current = ReadIndex(key, () => ShardFormat.ReadIndex(key, shard, layout));
        return chunks.ToDictionary(chunk => chunk, chunk => ShardFormat.InnerChunk(shard, current, chunk));
    }

    /// <summary>The index of a whole shard, a corrupt one failing as <see cref="ZarrFormatException"/>.</summary>
    public ShardIndex ReadIndex(string key, ByteBuffer shard) => ReadIndex(key, () => ShardFormat.ReadIndex(key, shard, Shards!.Layout));

    private ShardIndex ReadIndex(string key, Func<ShardIndex> read)
    {
        try
        {
            return read();
        }
        catch (ShardFormatException e)
        {
            throw new ZarrFormatException($"array \"{Path}\": {e.Message}", e) { Path = Path, Key = key };
        }
    }

    private NDBuffer Guard(string key, Func<NDBuffer> decode, string what = "")
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or ZstdSharp.ZstdException)
        {
            throw Corrupt(key, e, what);
        }
    }
}
