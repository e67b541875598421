using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// A plain in-process store: one table behind one lock, no actors. It is the reference the other
/// stores are tested against and the baseline of the benchmarks. Views made by
/// <see cref="WithReadOnly"/> share its data.
/// </summary>
public sealed class MemoryStore : StoreBase, IConditionalStore, IShardStore
{
    private readonly KeyValueTable _table;

    public MemoryStore(bool readOnly = false) : this(new KeyValueTable(), readOnly)
    {
    }

    private MemoryStore(KeyValueTable table, bool readOnly) : base(readOnly) => _table = table;

    public override IStore WithReadOnly(bool readOnly = false) => new MemoryStore(_table, readOnly);

    protected override Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        ByteBuffer? value;
        lock (_table)
        {
            if (!_table.TryGet(key, out var stored))
            {
                return Task.FromResult<ByteBuffer?>(null);
            }

            value = stored;
        }

        return Task.FromResult<ByteBuffer?>(prototype.Convert(Slice(value, byteRange)));
    }

    protected override Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesCoreAsync(BufferPrototype prototype,
        IReadOnlyList<(string Key, ByteRequest? Range)> requests, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var results = new ByteBuffer?[requests.Count];
        lock (_table)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = _table.TryGet(requests[i].Key, out var value) ? value : null;
            }
        }

        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is { } value)
            {
                results[i] = prototype.Convert(Slice(value, requests[i].Range));
            }
        }

        return Task.FromResult<IReadOnlyList<ByteBuffer?>>(results);
    }

    protected override Task<bool> ExistsCoreAsync(string key, CancellationToken ct) =>
        Locked(ct, () => _table.ContainsKey(key));

    protected override Task<long> GetSizeCoreAsync(string key, CancellationToken ct) =>
        Locked(ct, () => _table.TryGet(key, out var value)
            ? (long)value.Length
            : throw StoreErrors.KeyNotFound(OperationNames.GetSize, key));

    protected override Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct) =>
        Locked(ct, () => _table.SizeUnder(prefix));

    protected override Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        Locked(ct, () => _table.Set(OperationNames.Set, key, value));

    protected override Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        Locked(ct, () => _table.SetIfNotExists(OperationNames.SetIfNotExists, key, value));

    protected override Task DeleteCoreAsync(string key, CancellationToken ct) =>
        Locked(ct, () => _table.Remove(key));

    protected override Task DeleteDirCoreAsync(string prefix, CancellationToken ct) =>
        Locked(ct, () =>
        {
            _table.RemoveDirectory(prefix);
            return true;
        });

    protected override IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, CancellationToken ct)
    {
        List<string> keys;
        lock (_table)
        {
            keys = _table.KeysStartingWith(prefix).ToList();
        }

        return AsAsync(keys, ct);
    }

    protected override IAsyncEnumerable<string> ListDirCoreAsync(string prefix, CancellationToken ct)
    {
        List<string> names;
        lock (_table)
        {
            names = _table.ChildrenOf(prefix).ToList();
        }

        return AsAsync(names, ct);
    }

    protected override Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct) =>
        Locked(ct, () => _table.IsEmptyUnder(prefix));

    public Task<WriteResult> PutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct = default)
    {
        var operation = OperationNames.OfWrite(condition);
        BeginWrite(key, operation, ct);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(condition);
        return Locked(ct, () =>
        {
            if (!condition.IsMetBy(_table.TagOf(key)))
            {
                return WriteResult.Of(WriteOutcome.PreconditionFailed);
            }

            var outcome = _table.Set(operation, key, value) ? WriteOutcome.Created : WriteOutcome.Replaced;
            return new WriteResult(outcome, _table.TagOf(key));
        });
    }

    public Task<WriteResult> RemoveAsync(string key, WriteCondition condition, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.Delete, ct);
        ArgumentNullException.ThrowIfNull(condition);
        return Locked(ct, () =>
        {
            if (!condition.IsMetBy(_table.TagOf(key)))
            {
                return WriteResult.Of(WriteOutcome.PreconditionFailed);
            }

            return WriteResult.Of(_table.Remove(key) ? WriteOutcome.Deleted : WriteOutcome.Absent);
        });
    }

    public Task<WriteResult> MergeShardAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.MergeShard, ct);
        ShardFormat.ValidateChunks(layout, chunks);
        return Locked(ct, () =>
        {
            var existed = _table.TryGet(key, out var current);
            var merged = ShardFormat.Merge(key, existed ? current : null, layout, chunks);
            if (merged is null)
            {
                return WriteResult.Of(_table.Remove(key) ? WriteOutcome.Deleted : WriteOutcome.Absent);
            }

            var created = _table.Set(OperationNames.MergeShard, key, merged);
            return new WriteResult(created ? WriteOutcome.Created : WriteOutcome.Replaced, _table.TagOf(key));
        });
    }

    public Task<StoredValue?> GetVersionedAsync(string key, ByteRequest? range = null, BufferPrototype? prototype = null, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.Get, ct);
        ct.ThrowIfCancellationRequested();
        ByteBuffer value;
        string tag;
        lock (_table)
        {
            if (!_table.TryGet(key, out value, out tag))
            {
                return Task.FromResult<StoredValue?>(null);
            }
        }

        // Converted outside the lock: a prototype may copy.
        return Task.FromResult<StoredValue?>(new StoredValue((prototype ?? BufferPrototype.Default).Convert(Slice(value, range)), value.Length, tag));
    }

    public Task<ValueVersion?> GetVersionAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.Get, ct);
        return Locked(ct, () => _table.TryGet(key, out var value, out var tag) ? new ValueVersion(value.Length, tag) : null);
    }

    /// <summary>The part of <paramref name="value"/> that <paramref name="range"/> selects (no copy).</summary>
    internal static ByteBuffer Slice(ByteBuffer value, ByteRequest? range) => ByteRequest.Slice(value, range);

    private Task<T> Locked<T>(CancellationToken ct, Func<T> action)
    {
        ct.ThrowIfCancellationRequested();
        lock (_table)
        {
            return Task.FromResult(action());
        }
    }
}
