namespace Zarr.Actors.Shards;

/// <summary>
/// A store that merges encoded inner chunks into a <c>sharding_indexed</c> shard itself, so writers of
/// different inner chunks of one shard never lose each other's writes (a client-side read-modify-write
/// of the whole shard does).
/// </summary>
public interface IShardStore : IStore
{
    /// <summary>
    /// Atomically replaces the given inner chunks of the shard at <paramref name="key"/> (an absent key
    /// is an empty shard) and keeps the others; a shard left with no inner chunk is deleted. Concurrent
    /// merges never lose one. Refused like a write (read-only, then the key), then
    /// <see cref="ArgumentException"/> for a duplicate or out-of-range index; a corrupt stored shard
    /// fails with <see cref="ShardFormatException"/> and stays as it was. The result says whether the shard
    /// was created, replaced or deleted, and the new shard's tag.
    /// </summary>
    Task<WriteResult> MergeShardAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct = default);
}
