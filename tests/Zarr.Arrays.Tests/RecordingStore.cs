using System.Collections.Concurrent;
using Zarr.Actors;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>
/// A store over a <see cref="MemoryStore"/> that records every read (key and byte range) and every write,
/// and is only an <see cref="IStore"/>: no shard merges, no conditional writes (a store like most others).
/// </summary>
public class RecordingStore(MemoryStore inner) : StoreBase(false)
{
    public RecordingStore() : this(new MemoryStore())
    {
    }

    public MemoryStore Inner { get; } = inner;

    public ConcurrentQueue<(string Key, ByteRequest? Range)> Reads { get; } = new();

    public ConcurrentQueue<string> Writes { get; } = new();

    public override IStore WithReadOnly(bool readOnly = false) => throw new NotSupportedException();

    /// <summary>Every key and its value, to compare the store before and after a call.</summary>
    public async Task<Dictionary<string, ByteBuffer>> SnapshotAsync()
    {
        var all = new Dictionary<string, ByteBuffer>();
        await foreach (var key in Inner.ListAsync())
        {
            all[key] = (await Inner.GetAsync(key))!;
        }

        return all;
    }

    protected override Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        Reads.Enqueue((key, byteRange));
        return Inner.GetAsync(key, prototype, byteRange, ct);
    }

    protected override Task<bool> ExistsCoreAsync(string key, CancellationToken ct) => Inner.ExistsAsync(key, ct);

    protected override Task<long> GetSizeCoreAsync(string key, CancellationToken ct) => Inner.GetSizeAsync(key, ct);

    protected override Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct) => Inner.GetSizePrefixAsync(prefix, ct);

    protected override Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct)
    {
        Writes.Enqueue(key);
        return Inner.SetAsync(key, value, ct);
    }

    protected override Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct)
    {
        Writes.Enqueue(key);
        return Inner.SetIfNotExistsAsync(key, value, ct);
    }

    protected override Task DeleteCoreAsync(string key, CancellationToken ct)
    {
        Writes.Enqueue(key);
        return Inner.DeleteAsync(key, ct);
    }

    protected override Task DeleteDirCoreAsync(string prefix, CancellationToken ct) => Inner.DeleteDirAsync(prefix, ct);

    protected override IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, CancellationToken ct) => Inner.ListPrefixAsync(prefix, ct);

    protected override IAsyncEnumerable<string> ListDirCoreAsync(string prefix, CancellationToken ct) => Inner.ListDirAsync(prefix, ct);

    protected override Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct) => Inner.IsEmptyAsync(prefix, ct);
}

/// <summary>A <see cref="RecordingStore"/> that also merges shards (through the memory store's merge), recording each merge.</summary>
public sealed class RecordingShardStore : RecordingStore, IShardStore
{
    public ConcurrentQueue<(string Key, int[] Chunks)> Merges { get; } = new();

    public Task<WriteResult> MergeShardAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct = default)
    {
        Merges.Enqueue((key, chunks.Select(chunk => chunk.Index).ToArray()));
        return Inner.MergeShardAsync(key, layout, chunks, ct);
    }
}
