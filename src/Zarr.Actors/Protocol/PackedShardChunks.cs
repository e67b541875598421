using System.Buffers.Binary;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Protocol;

/// <summary>
/// Inner chunks as one value, for a merge too large for one remote message: their count, then each one's
/// position and length (-1: emptied), then their bytes one after another, all little-endian. The value
/// travels in pieces like any large value, and the owner unpacks it only once every piece has arrived.
/// </summary>
internal static class PackedShardChunks
{
    public static ByteBuffer Pack(IReadOnlyList<ShardChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var header = 4 + (long)chunks.Count * MergeShard.EntryBytes;
        var total = header + chunks.Sum(chunk => (long)(chunk.Bytes?.Length ?? 0));
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"a shard merge of {total} bytes does not fit one buffer", nameof(chunks));
        }

        var packed = GC.AllocateUninitializedArray<byte>((int)total);
        BinaryPrimitives.WriteInt32LittleEndian(packed, chunks.Count);
        var at = (int)header;
        for (var i = 0; i < chunks.Count; i++)
        {
            var entry = packed.AsSpan(4 + i * MergeShard.EntryBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry, chunks[i].Index);
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], chunks[i].Bytes?.Length ?? -1);
            if (chunks[i].Bytes is { } bytes)
            {
                bytes.Span.CopyTo(packed.AsSpan(at));
                at += bytes.Length;
            }
        }

        return ByteBuffer.FromMemory(packed);
    }

    /// <summary>The inner chunks of <paramref name="packed"/>, slices of it (no copy); <see cref="ArgumentException"/> when malformed.</summary>
    public static IReadOnlyList<ShardChunk> Unpack(ByteBuffer packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        var span = packed.Span;
        var count = span.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(span) : -1;
        if (count < 0 || count > (span.Length - 4) / MergeShard.EntryBytes)
        {
            throw Malformed($"it announces {count} inner chunks in {span.Length} bytes");
        }

        var chunks = new ShardChunk[count];
        long at = 4 + (long)count * MergeShard.EntryBytes;
        for (var i = 0; i < count; i++)
        {
            var entry = span[(4 + i * MergeShard.EntryBytes)..];
            var index = BinaryPrimitives.ReadInt32LittleEndian(entry);
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[4..]);
            if (length < -1 || at + Math.Max(length, 0) > span.Length)
            {
                throw Malformed($"inner chunk {index} of {length} bytes lies past its end");
            }

            chunks[i] = new ShardChunk(index, length < 0 ? null : packed.Slice((int)at, length));
            at += Math.Max(length, 0);
        }

        return at == span.Length ? chunks : throw Malformed($"{span.Length - at} bytes follow its last inner chunk");
    }

    private static ArgumentException Malformed(string problem) => new($"the packed inner chunks of a shard merge are malformed: {problem}");
}
