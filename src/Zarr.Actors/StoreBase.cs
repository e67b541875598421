using System.Runtime.CompilerServices;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// What every store shares: open/close, the read-only switch and the order in which a bad call is
/// refused (read-only, then the key). Subclasses implement the <c>...CoreAsync</c> members with keys
/// already validated and prefixes already normalized (no trailing <c>/</c>, <c>""</c> for the root).
/// </summary>
public abstract class StoreBase : IStore
{
    private int _open;

    protected StoreBase(bool readOnly) => ReadOnly = readOnly;

    public bool ReadOnly { get; }
    public virtual bool SupportsWrites => true;
    public virtual bool SupportsDeletes => true;
    public virtual bool SupportsListing => true;
    public bool SupportsPartialWrites => false;
    public virtual bool SupportsConsolidatedMetadata => true;
    public bool IsOpen => Volatile.Read(ref _open) == 1;

    public Task OpenAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _open, 1, 0) != 0)
        {
            throw new InvalidOperationException("store is already open");
        }

        return Task.CompletedTask;
    }

    public void Close() => Volatile.Write(ref _open, 0);

    public abstract IStore WithReadOnly(bool readOnly = false);

    public ValueTask DisposeAsync()
    {
        Close();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public Task<ByteBuffer?> GetAsync(string key, BufferPrototype? prototype = null, ByteRequest? byteRange = null, CancellationToken ct = default)
    {
        BeginRead(key, "get", ct);
        return GetCoreAsync(key, prototype ?? BufferPrototype.Default, byteRange, ct);
    }

    public Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesAsync(BufferPrototype? prototype,
        IEnumerable<(string Key, ByteRequest? Range)> keyRanges, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keyRanges);
        EnsureOpen(ct);
        var requests = keyRanges.ToArray();
        foreach (var (key, _) in requests)
        {
            KeyRules.ValidateKey(key, "get_partial_values");
        }

        return GetPartialValuesCoreAsync(prototype ?? BufferPrototype.Default, requests, ct);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, "exists", ct);
        return ExistsCoreAsync(key, ct);
    }

    public Task<long> GetSizeAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, "getsize", ct);
        return GetSizeCoreAsync(key, ct);
    }

    public Task<long> GetSizePrefixAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return GetSizePrefixCoreAsync(KeyRules.NormalizePrefix(prefix, "getsize_prefix"), ct);
    }

    public Task SetAsync(string key, ByteBuffer value, CancellationToken ct = default)
    {
        BeginWrite(key, "set", ct);
        ArgumentNullException.ThrowIfNull(value);
        return SetCoreAsync(key, value, ct);
    }

    public Task<bool> SetIfNotExistsAsync(string key, ByteBuffer value, CancellationToken ct = default)
    {
        BeginWrite(key, "set_if_not_exists", ct);
        ArgumentNullException.ThrowIfNull(value);
        return SetIfNotExistsCoreAsync(key, value, ct);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        BeginWrite(key, "delete", ct);
        return DeleteCoreAsync(key, ct);
    }

    public Task DeleteDirAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        CheckWritable("delete_dir", prefix);
        return DeleteDirCoreAsync(KeyRules.NormalizePrefix(prefix, "delete_dir"), ct);
    }

    public Task ClearAsync(CancellationToken ct = default)
    {
        EnsureOpen(ct);
        CheckWritable("clear", string.Empty);
        return DeleteDirCoreAsync(string.Empty, ct);
    }

    public IAsyncEnumerable<string> ListAsync(CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return ListPrefixCoreAsync(string.Empty, ct);
    }

    public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        KeyRules.NormalizePrefix(prefix, "list_prefix");
        return ListPrefixCoreAsync(prefix, ct);
    }

    public IAsyncEnumerable<string> ListDirAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return ListDirCoreAsync(KeyRules.NormalizePrefix(prefix, "list_dir"), ct);
    }

    public Task<bool> IsEmptyAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return IsEmptyCoreAsync(KeyRules.NormalizePrefix(prefix, "is_empty"), ct);
    }

    /// <summary>The value or slice, converted to <paramref name="prototype"/>'s buffer type; null when absent.</summary>
    protected abstract Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct);

    /// <summary>Reads each pair; the default runs the reads concurrently and keeps the input order.</summary>
    protected virtual async Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesCoreAsync(BufferPrototype prototype,
        IReadOnlyList<(string Key, ByteRequest? Range)> requests, CancellationToken ct)
    {
        var reads = new Task<ByteBuffer?>[requests.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = GetCoreAsync(requests[i].Key, prototype, requests[i].Range, ct);
        }

        return await Task.WhenAll(reads).ConfigureAwait(false);
    }

    protected abstract Task<bool> ExistsCoreAsync(string key, CancellationToken ct);
    protected abstract Task<long> GetSizeCoreAsync(string key, CancellationToken ct);
    protected abstract Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct);
    protected abstract Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct);
    protected abstract Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct);
    protected abstract Task DeleteCoreAsync(string key, CancellationToken ct);

    /// <summary>Removes every key under the normalized <paramref name="prefix"/> (<c>""</c>: all).</summary>
    protected abstract Task DeleteDirCoreAsync(string prefix, CancellationToken ct);

    /// <summary>Every key starting with the plain string <paramref name="prefix"/> (not normalized).</summary>
    protected abstract IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, CancellationToken ct);

    protected abstract IAsyncEnumerable<string> ListDirCoreAsync(string prefix, CancellationToken ct);
    protected abstract Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct);

    /// <summary>Refuses a call whose token is already cancelled, then opens a closed store, as every operation does.</summary>
    protected void EnsureOpen(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Interlocked.CompareExchange(ref _open, 1, 0);
    }

    /// <summary>Opens the store and validates <paramref name="key"/> for a read.</summary>
    protected void BeginRead(string key, string operation, CancellationToken ct)
    {
        EnsureOpen(ct);
        KeyRules.ValidateKey(key, operation);
    }

    /// <summary>Opens the store and refuses a write when read-only, then when the key is invalid.</summary>
    protected void BeginWrite(string key, string operation, CancellationToken ct)
    {
        EnsureOpen(ct);
        CheckWritable(operation, key);
        KeyRules.ValidateKey(key, operation);
    }

    private void CheckWritable(string operation, string key)
    {
        if (ReadOnly)
        {
            throw ReadOnlyStoreException.For(operation, key ?? string.Empty);
        }
    }

    /// <summary>Yields a finished list as an async sequence, honouring cancellation between items.</summary>
    protected static async IAsyncEnumerable<string> AsAsync(IEnumerable<string> items,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
