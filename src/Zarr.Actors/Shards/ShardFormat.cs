using System.Buffers.Binary;
using Zarr.Buffers;

namespace Zarr.Actors.Shards;

/// <summary>
/// The binary format of a Zarr v3 <c>sharding_indexed</c> shard, knowing only its layout: encoded inner
/// chunks one after another, and an index of (offset, length) uint64 pairs in C order at the start or
/// the end, optionally followed by its CRC-32C (little-endian). Empty inner chunks are 2^64-1 twice.
/// Pure functions: the owner of a shard key runs <see cref="Merge"/> without knowing the array's codecs.
/// </summary>
public static class ShardFormat
{
    /// <summary>The offset and length that mark an empty inner chunk.</summary>
    public const ulong EmptyEntry = ulong.MaxValue;

    /// <summary>The request that reads a shard's index alone.</summary>
    public static ByteRequest IndexRange(ShardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.IndexLocation == ShardIndexLocation.End
            ? new SuffixByteRequest(layout.IndexLength)
            : new RangeByteRequest(0, layout.IndexLength);
    }

    /// <summary>
    /// Decodes and checks an index read alone (<see cref="IndexRange"/>). Entries are checked against
    /// <paramref name="shardLength"/> when it is known, else only against the index itself.
    /// </summary>
    public static ShardIndex ReadIndex(string key, ReadOnlySpan<byte> index, ShardLayout layout, long? shardLength = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (index.Length != layout.IndexLength)
        {
            throw Corrupt(key, $"its index is {index.Length} bytes, but {layout.ChunkCount} inner chunks need {layout.IndexLength}");
        }

        var entries = index[..(layout.ChunkCount * 16)];
        if (layout.IndexChecksum)
        {
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(index[entries.Length..]);
            var computed = Crc32C.Compute(entries);
            if (stored != computed)
            {
                throw Corrupt(key, $"the crc32c of its index is 0x{stored:x8}, but its index bytes give 0x{computed:x8}");
            }
        }

        if (shardLength < layout.IndexLength)
        {
            throw Corrupt(key, $"it is {shardLength} bytes, shorter than its index of {layout.IndexLength}");
        }

        var dataStart = layout.IndexLocation == ShardIndexLocation.Start ? layout.IndexLength : 0L;
        var dataEnd = shardLength is { } length
            ? length - (layout.IndexLocation == ShardIndexLocation.End ? layout.IndexLength : 0)
            : long.MaxValue;
        var result = new long[layout.ChunkCount * 2];
        for (var chunk = 0; chunk < layout.ChunkCount; chunk++)
        {
            var offset = ReadUInt64(entries[(chunk * 16)..], layout.IndexBigEndian);
            var nbytes = ReadUInt64(entries[(chunk * 16 + 8)..], layout.IndexBigEndian);
            if (offset == EmptyEntry && nbytes == EmptyEntry)
            {
                result[2 * chunk] = result[2 * chunk + 1] = -1;
                continue;
            }

            if (offset == EmptyEntry || nbytes == EmptyEntry)
            {
                throw Corrupt(key, $"inner chunk {chunk} has offset {offset} and length {nbytes}: only both may be 2^64-1 (empty)");
            }

            if (offset < (ulong)dataStart || offset > (ulong)dataEnd || nbytes > (ulong)dataEnd - offset)
            {
                var where = dataEnd == long.MaxValue ? $"from byte {dataStart}" : $"[{dataStart}, {dataEnd})";
                throw Corrupt(key, $"inner chunk {chunk} lies at [{offset}, {offset + nbytes}), outside the shard's data {where}");
            }

            result[2 * chunk] = (long)offset;
            result[2 * chunk + 1] = (long)nbytes;
        }

        return new ShardIndex(result);
    }

    /// <summary>Decodes and checks the index of a whole shard.</summary>
    public static ShardIndex ReadIndex(string key, ByteBuffer shard, ShardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(layout);
        if (shard.Length < layout.IndexLength)
        {
            throw Corrupt(key, $"it is {shard.Length} bytes, shorter than its index of {layout.IndexLength}");
        }

        var index = layout.IndexLocation == ShardIndexLocation.End
            ? shard.Span[(shard.Length - layout.IndexLength)..]
            : shard.Span[..layout.IndexLength];
        return ReadIndex(key, index, layout, shard.Length);
    }

    /// <summary>The encoded bytes of inner chunk <paramref name="chunk"/> of a whole shard (no copy); null when empty.</summary>
    public static ByteBuffer? InnerChunk(ByteBuffer shard, ShardIndex index, int chunk)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(index);
        return index.IsEmpty(chunk) ? null : shard.Slice((int)index.Offset(chunk), (int)index.Length(chunk));
    }

    /// <summary>
    /// A shard holding exactly <paramref name="chunks"/> (one per inner chunk, in index order; null:
    /// empty), written one after another in that order; null when every inner chunk is empty.
    /// </summary>
    public static ByteBuffer? Build(ShardLayout layout, IReadOnlyList<ByteBuffer?> chunks)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count != layout.ChunkCount)
        {
            throw new ArgumentException($"a shard of {layout.ChunkCount} inner chunks was given {chunks.Count}", nameof(chunks));
        }

        long total = layout.IndexLength;
        var any = false;
        foreach (var chunk in chunks)
        {
            total += chunk?.Length ?? 0;
            any |= chunk is not null;
        }

        if (!any)
        {
            return null;
        }

        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"the shard would be {total} bytes, more than one buffer holds ({Array.MaxLength})", nameof(chunks));
        }

        // Every byte is written below (inner chunks back to back, and the index), so none needs zeroing first.
        var shard = GC.AllocateUninitializedArray<byte>((int)total);
        var indexAt = layout.IndexLocation == ShardIndexLocation.Start ? 0 : (int)total - layout.IndexLength;
        var entries = shard.AsSpan(indexAt, layout.ChunkCount * 16);
        var at = layout.IndexLocation == ShardIndexLocation.Start ? layout.IndexLength : 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var offset = EmptyEntry;
            var nbytes = EmptyEntry;
            if (chunks[i] is { } chunk)
            {
                chunk.Span.CopyTo(shard.AsSpan(at));
                offset = (ulong)at;
                nbytes = (ulong)chunk.Length;
                at += chunk.Length;
            }

            WriteUInt64(entries[(i * 16)..], offset, layout.IndexBigEndian);
            WriteUInt64(entries[(i * 16 + 8)..], nbytes, layout.IndexBigEndian);
        }

        if (layout.IndexChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(shard.AsSpan(indexAt + entries.Length), Crc32C.Compute(entries));
        }

        return ByteBuffer.FromMemory(shard);
    }

    /// <summary>A shard whose inner chunks are all empty: the index alone.</summary>
    public static ByteBuffer EmptyShard(ShardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var shard = new byte[layout.IndexLength];
        var entries = shard.AsSpan(0, layout.ChunkCount * 16);
        entries.Fill(0xff);
        if (layout.IndexChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(shard.AsSpan(entries.Length), Crc32C.Compute(entries));
        }

        return ByteBuffer.FromMemory(shard);
    }

    /// <summary>
    /// <paramref name="current"/> (null: an empty shard) with the inner chunks in <paramref name="chunks"/>
    /// replaced and every other one kept; null when no inner chunk is left. Bad arguments throw
    /// <see cref="ArgumentException"/> and a corrupt current shard <see cref="ShardFormatException"/>.
    /// </summary>
    public static ByteBuffer? Merge(string key, ByteBuffer? current, ShardLayout layout, IReadOnlyList<ShardChunk> chunks)
    {
        ValidateChunks(layout, chunks);
        var parts = new ByteBuffer?[layout.ChunkCount];
        if (current is not null)
        {
            var index = ReadIndex(key, current, layout);
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = InnerChunk(current, index, i);
            }
        }

        foreach (var chunk in chunks)
        {
            parts[chunk.Index] = chunk.Bytes;
        }

        return Build(layout, parts);
    }

    /// <summary>Refuses a merge whose chunks are missing, out of range or given twice (<see cref="ArgumentException"/>).</summary>
    public static void ValidateChunks(ShardLayout layout, IReadOnlyList<ShardChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(chunks);
        var seen = new HashSet<int>();
        foreach (var chunk in chunks)
        {
            if (chunk is null)
            {
                throw new ArgumentException("a shard merge was given a null inner chunk", nameof(chunks));
            }

            if ((uint)chunk.Index >= (uint)layout.ChunkCount)
            {
                throw new ArgumentException($"inner chunk {chunk.Index} is outside a shard of {layout.ChunkCount} inner chunks", nameof(chunks));
            }

            if (!seen.Add(chunk.Index))
            {
                throw new ArgumentException($"inner chunk {chunk.Index} is given twice in one shard merge", nameof(chunks));
            }
        }
    }

    private static ShardFormatException Corrupt(string key, string problem) =>
        new($"shard {KeyRules.Quote(key)} is corrupt: {problem}") { Key = key };

    private static ulong ReadUInt64(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    private static void WriteUInt64(Span<byte> bytes, ulong value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        }
    }
}
