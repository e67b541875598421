namespace Zarr.Actors.Shards;

/// <summary>
/// What a shard merge did: <see cref="WriteOutcome.Created"/> or <see cref="WriteOutcome.Replaced"/> with the
/// stored shard's <see cref="Tag"/> (its ETag), <see cref="WriteOutcome.Deleted"/> when no inner chunk was left,
/// or <see cref="WriteOutcome.Absent"/> when there was no shard and the merge left none.
/// </summary>
public sealed record ShardMergeResult(WriteOutcome Outcome, string? Tag)
{
    /// <summary>The result of a merge that stored <paramref name="shard"/>.</summary>
    public static ShardMergeResult Stored(bool created, Zarr.Buffers.ByteBuffer shard) =>
        new(created ? WriteOutcome.Created : WriteOutcome.Replaced, ContentTag.Of(shard));

    /// <summary>The result of a merge that left no inner chunk: the shard was deleted, or there was none.</summary>
    public static ShardMergeResult Emptied(bool existed) => new(existed ? WriteOutcome.Deleted : WriteOutcome.Absent, null);
}
