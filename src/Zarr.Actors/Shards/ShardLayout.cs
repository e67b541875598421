namespace Zarr.Actors.Shards;

/// <summary>Where a <c>sharding_indexed</c> shard keeps its index.</summary>
public enum ShardIndexLocation
{
    Start,
    End,
}

/// <summary>
/// What the owner of a shard key must know to merge inner chunks into it: the number of inner chunks,
/// where the index is and how it is encoded (<c>index_codecs</c> = <c>bytes</c> little- or big-endian,
/// optionally followed by <c>crc32c</c>). Nothing about the array's own codecs: inner chunks arrive encoded.
/// </summary>
public sealed record ShardLayout(int ChunkCount, ShardIndexLocation IndexLocation, bool IndexChecksum, bool IndexBigEndian = false)
{
    /// <summary>The most inner chunks a shard may have: its index must fit in one buffer.</summary>
    public const int MaxChunkCount = (int.MaxValue - 4) / 16;

    public int ChunkCount { get; init; } = ChunkCount is > 0 and <= MaxChunkCount
        ? ChunkCount
        : throw new ArgumentOutOfRangeException(nameof(ChunkCount), ChunkCount, $"a shard has 1 to {MaxChunkCount} inner chunks");

    public ShardIndexLocation IndexLocation { get; init; } = Enum.IsDefined(IndexLocation)
        ? IndexLocation
        : throw new ArgumentOutOfRangeException(nameof(IndexLocation), IndexLocation, "the index is at the start or the end");

    /// <summary>The encoded index's length in bytes: an offset and a length (uint64 each) per inner chunk, and the checksum.</summary>
    public int IndexLength => ChunkCount * 16 + (IndexChecksum ? 4 : 0);
}
