using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// The Zarr store API: a key/value store of immutable <see cref="ByteBuffer"/>s with byte ranges,
/// set-if-absent and directory-style listing. The semantics are those of the store contract
/// (zarr-python 3.3's <c>Store</c> with its open questions settled); implementations inherit them.
/// </summary>
public interface IStore : IAsyncDisposable
{
    bool ReadOnly { get; }
    bool SupportsWrites { get; }
    bool SupportsDeletes { get; }
    bool SupportsListing { get; }

    /// <summary>Always false, as in zarr-python 3.3.</summary>
    bool SupportsPartialWrites { get; }

    bool SupportsConsolidatedMetadata { get; }
    bool IsOpen { get; }

    /// <summary>Opens the store; throws <see cref="InvalidOperationException"/> when it is already open.</summary>
    Task OpenAsync(CancellationToken ct = default);

    /// <summary>Marks the store closed; any later operation opens it again.</summary>
    void Close();

    /// <summary>A new, not yet opened view on the same data.</summary>
    IStore WithReadOnly(bool readOnly = false);

    /// <summary>The value (or the slice <paramref name="byteRange"/> of it) as <paramref name="prototype"/>'s buffer type; null when absent.</summary>
    Task<ByteBuffer?> GetAsync(string key, BufferPrototype? prototype = null, ByteRequest? byteRange = null, CancellationToken ct = default);

    /// <summary>One entry per pair, in input order; null where the key is absent.</summary>
    Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesAsync(BufferPrototype? prototype,
        IEnumerable<(string Key, ByteRequest? Range)> keyRanges, CancellationToken ct = default);

    /// <summary>True when <paramref name="key"/> is a stored key (a directory is not).</summary>
    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>The value's length; <see cref="KeyNotFoundException"/> when absent.</summary>
    Task<long> GetSizeAsync(string key, CancellationToken ct = default);

    /// <summary>The total length of the values under <c>prefix + "/"</c> (<c>""</c>: all).</summary>
    Task<long> GetSizePrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value.</summary>
    Task SetAsync(string key, ByteBuffer value, CancellationToken ct = default);

    /// <summary>Stores the value only when the key is absent; atomic; true when it wrote.</summary>
    Task<bool> SetIfNotExistsAsync(string key, ByteBuffer value, CancellationToken ct = default);

    /// <summary>Removes exactly <paramref name="key"/>; a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Removes every key under <c>prefix + "/"</c> (<c>""</c>: all).</summary>
    Task DeleteDirAsync(string prefix, CancellationToken ct = default);

    /// <summary>Removes everything.</summary>
    Task ClearAsync(CancellationToken ct = default);

    /// <summary>Every key.</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken ct = default);

    /// <summary>Every key that starts with the string <paramref name="prefix"/>.</summary>
    IAsyncEnumerable<string> ListPrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>The names of the immediate children (keys and directories) of <paramref name="prefix"/>.</summary>
    IAsyncEnumerable<string> ListDirAsync(string prefix, CancellationToken ct = default);

    /// <summary>True when no key lies under <paramref name="prefix"/>.</summary>
    Task<bool> IsEmptyAsync(string prefix, CancellationToken ct = default);
}
