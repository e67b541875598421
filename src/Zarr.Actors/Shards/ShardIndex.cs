namespace Zarr.Actors.Shards;

/// <summary>
/// A decoded, validated shard index: where each inner chunk's encoded bytes lie in the shard, or that
/// the inner chunk is empty (offset and length both 2^64-1 in the format).
/// </summary>
public sealed class ShardIndex
{
    private readonly long[] _entries;

    internal ShardIndex(long[] entries) => _entries = entries;

    /// <summary>The number of inner chunks.</summary>
    public int Count => _entries.Length / 2;

    /// <summary>True when inner chunk <paramref name="chunk"/> has no bytes (it reads as the fill value).</summary>
    public bool IsEmpty(int chunk) => _entries[2 * chunk] < 0;

    /// <summary>The byte offset of inner chunk <paramref name="chunk"/> within the shard (-1 when empty).</summary>
    public long Offset(int chunk) => _entries[2 * chunk];

    /// <summary>The encoded length of inner chunk <paramref name="chunk"/> (-1 when empty).</summary>
    public long Length(int chunk) => _entries[2 * chunk + 1];

    /// <summary>True when no inner chunk has bytes.</summary>
    public bool AllEmpty
    {
        get
        {
            for (var chunk = 0; chunk < Count; chunk++)
            {
                if (!IsEmpty(chunk))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
