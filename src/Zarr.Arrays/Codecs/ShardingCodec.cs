using System.Text.Json;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary>
/// <c>sharding_indexed</c>: a chunk (the shard) is a grid of inner chunks of <see cref="ChunkShape"/>,
/// each encoded with <see cref="Codecs"/> and stored one after another, with an index encoded by
/// <see cref="IndexCodecs"/> at <see cref="IndexLocation"/>. The index codecs must be <c>bytes</c>
/// (little- or big-endian), optionally followed by <c>crc32c</c>: the fixed-size forms the spec recommends.
/// </summary>
public sealed class ShardingCodec : Codec, IArrayToBytesCodec
{
    private readonly int[] _chunkShape;
    private ShardGeometry? _bound;    // one reference, so a racing reader never sees half of an update

    public ShardingCodec(IReadOnlyList<int> chunkShape, IReadOnlyList<Codec> codecs, IReadOnlyList<Codec>? indexCodecs = null,
        ShardIndexLocation indexLocation = ShardIndexLocation.End)
    {
        ArgumentNullException.ThrowIfNull(chunkShape);
        ArgumentNullException.ThrowIfNull(codecs);
        _chunkShape = [.. chunkShape];
        if (_chunkShape.Any(length => length <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(chunkShape), $"inner chunk shape [{string.Join(", ", _chunkShape)}] has a length below 1");
        }

        Codecs = [.. codecs];
        IndexCodecs = indexCodecs is null ? [new BytesCodec(), new Crc32cCodec()] : [.. indexCodecs];
        IndexLocation = Enum.IsDefined(indexLocation)
            ? indexLocation
            : throw new ArgumentOutOfRangeException(nameof(indexLocation), indexLocation, "the index is at the start or the end");
    }

    public override string Name => "sharding_indexed";

    /// <summary>The shape of the inner chunks; it divides the shard shape.</summary>
    public IReadOnlyList<int> ChunkShape => _chunkShape;

    /// <summary>The codecs of each inner chunk.</summary>
    public IReadOnlyList<Codec> Codecs { get; }

    /// <summary>The codecs of the index (default: little-endian <c>bytes</c> and <c>crc32c</c>).</summary>
    public IReadOnlyList<Codec> IndexCodecs { get; }

    public ShardIndexLocation IndexLocation { get; }

    internal override CodecKind Kind => CodecKind.ArrayToBytes;

    internal override bool WriteConfiguration(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("chunk_shape");
        foreach (var length in _chunkShape)
        {
            writer.WriteNumberValue(length);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("codecs");
        foreach (var codec in Codecs)
        {
            codec.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("index_codecs");
        foreach (var codec in IndexCodecs)
        {
            codec.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("index_location", IndexLocation == ShardIndexLocation.Start ? "start" : "end");
        return true;
    }

    internal override string? Problem(ChunkSpec decoded)
    {
        if (_chunkShape.Length != decoded.Shape.Length)
        {
            return $"sharding_indexed chunk_shape [{string.Join(", ", _chunkShape)}] has {_chunkShape.Length} axes, but the shards have {decoded.Shape.Length}";
        }

        for (var axis = 0; axis < _chunkShape.Length; axis++)
        {
            if (decoded.Shape[axis] % _chunkShape[axis] != 0)
            {
                return $"sharding_indexed chunk_shape [{string.Join(", ", _chunkShape)}] does not divide the shard shape [{string.Join(", ", decoded.Shape)}]";
            }
        }

        if (IndexCodecs is not [BytesCodec { Endian: not null }] and not [BytesCodec { Endian: not null }, Crc32cCodec])
        {
            return "sharding_indexed index_codecs must be bytes (with endian), optionally followed by crc32c; got " +
                   string.Join(", ", IndexCodecs.Select(codec => codec.Name));
        }

        var count = decoded.Shape.Zip(_chunkShape, (shard, inner) => (long)(shard / inner)).Aggregate(1L, (n, l) => n * l);
        if (count > ShardLayout.MaxChunkCount)
        {
            return $"a shard of {count} inner chunks is more than {ShardLayout.MaxChunkCount}";
        }

        return CodecChain.TryBuild(Codecs, decoded with { Shape = [.. _chunkShape] }, out _, out var problem)
            ? null
            : "in sharding_indexed codecs: " + problem;
    }

    /// <summary>The inner chunk grid, inner codec chain and layout of shards of <paramref name="shard"/>.</summary>
    internal ShardGeometry Bind(ChunkSpec shard)
    {
        if (Volatile.Read(ref _bound) is { } bound && bound.Shard.SameAs(shard))
        {
            return bound;
        }

        if (Problem(shard) is { } problem || !CodecChain.TryBuild(Codecs, shard with { Shape = [.. _chunkShape] }, out var inner, out problem))
        {
            throw new InvalidOperationException(problem);
        }

        var geometry = new ShardGeometry(shard, inner, new ShardLayout(
            checked((int)shard.Shape.Zip(_chunkShape, (s, c) => (long)(s / c)).Aggregate(1L, (n, l) => n * l)),
            IndexLocation,
            IndexCodecs.Count == 2,
            ((BytesCodec)IndexCodecs[0]).Endian == Endianness.Big));
        Volatile.Write(ref _bound, geometry);
        return geometry;
    }

    ByteBuffer IArrayToBytesCodec.Encode(NDBuffer decoded, ChunkSpec spec)
    {
        var geometry = Bind(spec);
        var parts = new ByteBuffer?[geometry.Layout.ChunkCount];
        foreach (var cell in geometry.Grid.Cells())
        {
            var chunk = Regions.Extract(decoded, cell.RegionStart, geometry.Inner.Spec.Shape);
            parts[cell.Linear] = Regions.IsAllFill(chunk, spec.FillValue) ? null : geometry.Inner.Encode(chunk);
        }

        return ShardFormat.Build(geometry.Layout, parts) ?? ShardFormat.EmptyShard(geometry.Layout);
    }

    NDBuffer IArrayToBytesCodec.Decode(ByteBuffer encoded, ChunkSpec spec, string key)
    {
        var geometry = Bind(spec);
        var index = ShardFormat.ReadIndex(key, encoded, geometry.Layout);
        var shard = Regions.Filled(spec.Shape, spec.DataType, spec.FillValue);
        foreach (var cell in geometry.Grid.Cells())
        {
            if (ShardFormat.InnerChunk(encoded, index, (int)cell.Linear) is { } bytes)
            {
                var chunk = geometry.Inner.Decode(bytes, $"{key} (inner chunk {cell.Linear})");
                Regions.Copy(chunk, new int[spec.Shape.Length], shard, cell.RegionStart, geometry.Inner.Spec.Shape);
            }
        }

        return shard;
    }
}

/// <summary>A shard's inner chunk grid, the chain of its inner chunks and its layout, for one shard shape.</summary>
internal sealed record ShardGeometry(ChunkSpec Shard, CodecChain Inner, ShardLayout Layout)
{
    public ChunkGrid Grid { get; } = new(Shard.Shape.Select(length => (long)length).ToArray(), Inner.Spec.Shape);
}
