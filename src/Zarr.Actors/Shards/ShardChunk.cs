using Zarr.Buffers;

namespace Zarr.Actors.Shards;

/// <summary>
/// One encoded inner chunk to put into a shard at its index (C order over the shard's grid of inner
/// chunks); <c>null</c> bytes make that inner chunk empty (read as the fill value).
/// </summary>
public sealed record ShardChunk(int Index, ByteBuffer? Bytes);
