using Zarr.Actors.Shards;

namespace Zarr.Actors.Protocol;

/// <summary>
/// Merge <see cref="Chunks"/> into the shard stored as <see cref="Name"/> (absent: an empty shard) and store
/// the result, or delete the key when no inner chunk is left, in one step of the owner. Reply: <see cref="WriteResult"/> (the stored shard's tag; none when no shard is left).
/// </summary>
public sealed record MergeShard(string Prefix, string Name, ShardLayout Layout, IReadOnlyList<ShardChunk> Chunks) : IPrefixMessage, IValueMessage
{
    /// <summary>What one inner chunk adds on the wire besides its bytes: its position and its length.</summary>
    public const int EntryBytes = 8;

    // A plain array, whatever list the sender built: what the owner keeps and the wire writes.
    public IReadOnlyList<ShardChunk> Chunks { get; } = Chunks as ShardChunk[] ?? Chunks.ToArray();

    /// <summary>The inner chunks' bytes and their entries: so a merge of many empty inner chunks counts too.</summary>
    public long ValueBytes => Chunks.Sum(chunk => (long)(chunk.Bytes?.Length ?? 0) + EntryBytes);
}

/// <summary>
/// Merge the inner chunks that arrived in pieces under <see cref="TransferId"/> (<see cref="PutValuePiece"/>s
/// of their <see cref="PackedShardChunks"/>) into the shard stored as <see cref="Name"/>, as
/// <see cref="MergeShard"/> does. Reply: as <see cref="MergeShard"/>.
/// </summary>
public sealed record CommitShardMerge(string Prefix, string Name, string TransferId, ShardLayout Layout) : IPrefixMessage, IProtocolMessage;
