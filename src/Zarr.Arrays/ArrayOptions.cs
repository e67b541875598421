namespace Zarr.Arrays;

/// <summary>How an opened array does its I/O.</summary>
public sealed record ArrayOptions
{
    public static ArrayOptions Default { get; } = new();

    /// <summary>How many chunks (or shards) one read or write handles at once (default 16).</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>How a write that covers only some inner chunks of a shard updates the shard.</summary>
    public PartialShardWrites PartialShardWrites { get; init; } = PartialShardWrites.Auto;
}

/// <summary>
/// How a write that covers only some inner chunks of a shard updates it. Every strategy first encodes
/// the inner chunks it writes; an inner chunk it covers only in part is read and completed locally, so
/// only writers aligned to inner chunks are free of lost updates, whatever the strategy.
/// </summary>
public enum PartialShardWrites
{
    /// <summary><see cref="Merge"/> when the store is an <c>IShardStore</c>, else <see cref="ReadModifyWrite"/>.</summary>
    Auto,

    /// <summary>
    /// The store merges the encoded inner chunks into the shard itself (<c>IShardStore.MergeShardAsync</c>):
    /// atomic, so concurrent writers of different inner chunks lose nothing.
    /// </summary>
    Merge,

    /// <summary>
    /// Read the shard and its tag, merge locally, write it back only if unchanged (<c>If-Match</c>, through
    /// <c>IConditionalStore</c>), else retry: lossless too, at the price of rereads under contention.
    /// </summary>
    CompareAndSet,

    /// <summary>
    /// Read the whole shard, merge locally, write it back: what other Zarr implementations do, and NOT safe
    /// with concurrent writers of one shard (the last one to write drops the others' inner chunks).
    /// </summary>
    ReadModifyWrite,
}
