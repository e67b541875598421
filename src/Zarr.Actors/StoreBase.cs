using System.Runtime.CompilerServices;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// What every store shares: open/close, the read-only switch and the order in which a bad call is
/// refused (read-only, then the key). Subclasses implement the <c>...CoreAsync</c> members with keys
/// already validated and prefixes already normalized (no trailing <c>/</c>, <c>""</c> for the root).
/// Operations that can be built from others (as zarr-python's <c>Store</c> builds them) have virtual
/// defaults: <c>GetPartialValues</c> from <c>Get</c>, <c>GetSizePrefix</c> from <c>ListPrefix</c> and
/// sizes, <c>IsEmpty</c> from <c>ListDir</c>, <c>Clear</c> as <c>DeleteDir("")</c>; a store overrides
/// them only where it has a faster way.
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
        BeginRead(key, OperationNames.Get, ct);
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
            KeyRules.ValidateKey(key, OperationNames.GetPartialValues);
        }

        return GetPartialValuesCoreAsync(prototype ?? BufferPrototype.Default, requests, ct);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.Exists, ct);
        return ExistsCoreAsync(key, ct);
    }

    public Task<long> GetSizeAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.GetSize, ct);
        return GetSizeCoreAsync(key, ct);
    }

    public Task<long> GetSizePrefixAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return GetSizePrefixCoreAsync(KeyRules.NormalizePrefix(prefix, OperationNames.GetSizePrefix), ct);
    }

    public Task SetAsync(string key, ByteBuffer value, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.Set, ct);
        ArgumentNullException.ThrowIfNull(value);
        return SetCoreAsync(key, value, ct);
    }

    public Task<bool> SetIfNotExistsAsync(string key, ByteBuffer value, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.SetIfNotExists, ct);
        ArgumentNullException.ThrowIfNull(value);
        return SetIfNotExistsCoreAsync(key, value, ct);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.Delete, ct);
        return DeleteCoreAsync(key, ct);
    }

    public Task DeleteDirAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        CheckWritable(this, OperationNames.DeleteDir, prefix);
        return DeleteDirCoreAsync(KeyRules.NormalizePrefix(prefix, OperationNames.DeleteDir), ct);
    }

    public Task ClearAsync(CancellationToken ct = default)
    {
        EnsureOpen(ct);
        CheckWritable(this, OperationNames.Clear, string.Empty);
        return ClearCoreAsync(ct);
    }

    public IAsyncEnumerable<string> ListAsync(CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return ListPrefixCoreAsync(string.Empty, ct);
    }

    public IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        KeyRules.NormalizePrefix(prefix, OperationNames.ListPrefix);
        return ListPrefixCoreAsync(prefix, ct);
    }

    public IAsyncEnumerable<string> ListDirAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return ListDirCoreAsync(KeyRules.NormalizePrefix(prefix, OperationNames.ListDir), ct);
    }

    public Task<bool> IsEmptyAsync(string prefix, CancellationToken ct = default)
    {
        EnsureOpen(ct);
        return IsEmptyCoreAsync(KeyRules.NormalizePrefix(prefix, OperationNames.IsEmpty), ct);
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

    /// <summary>The sum of the sizes of the keys under the normalized <paramref name="prefix"/>; the default lists them and asks each size.</summary>
    protected virtual async Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct)
    {
        long total = 0;
        await foreach (var key in ListPrefixCoreAsync(KeyRules.DirectoryOf(prefix), ct).ConfigureAwait(false))
        {
            try
            {
                total += await GetSizeCoreAsync(key, ct).ConfigureAwait(false);
            }
            catch (KeyNotFoundException)
            {
                // Deleted since it was listed: it no longer counts.
            }
        }

        return total;
    }

    protected abstract Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct);
    protected abstract Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct);
    protected abstract Task DeleteCoreAsync(string key, CancellationToken ct);

    /// <summary>Removes every key under the normalized <paramref name="prefix"/> (<c>""</c>: all).</summary>
    protected abstract Task DeleteDirCoreAsync(string prefix, CancellationToken ct);

    /// <summary>Removes everything; the default is <c>DeleteDir("")</c>.</summary>
    protected virtual Task ClearCoreAsync(CancellationToken ct) => DeleteDirCoreAsync(string.Empty, ct);

    /// <summary>Every key starting with the plain string <paramref name="prefix"/> (not normalized).</summary>
    protected abstract IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, CancellationToken ct);

    protected abstract IAsyncEnumerable<string> ListDirCoreAsync(string prefix, CancellationToken ct);

    /// <summary>True when nothing lies under the normalized <paramref name="prefix"/>; the default asks <c>ListDir</c> for one name.</summary>
    protected virtual async Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct)
    {
        await foreach (var _ in ListDirCoreAsync(prefix, ct).ConfigureAwait(false))
        {
            return false;
        }

        return true;
    }

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
        RefuseBadWrite(this, operation, key);
    }

    /// <summary>
    /// The contract's order for a bad write: <see cref="ReadOnlyStoreException"/> when <paramref name="store"/>
    /// is read-only, then <see cref="InvalidKeyException"/> when the key is invalid. Callers that must refuse
    /// before they have the value (the HTTP gateway, before reading a body) use this same rule.
    /// </summary>
    public static void RefuseBadWrite(IStore store, string operation, string key)
    {
        CheckWritable(store, operation, key);
        KeyRules.ValidateKey(key, operation);
    }

    private static void CheckWritable(IStore store, string operation, string key)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.ReadOnly)
        {
            throw StoreErrors.ReadOnly(operation, key);
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
