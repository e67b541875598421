namespace Zarr.Actors.Backends;

/// <summary>
/// Values on disk in zarr's <c>LocalStore</c> layout: key <c>a/b/c</c> is the file <c>&lt;root&gt;/a/b/c</c>,
/// so any Zarr tool can open the directory and a directory written by one can be served. A write is
/// acknowledged only once it is durable. Owners load their prefix when they start and hold only its
/// index (names and sizes), never the values, so memory follows the working set, not the data.
/// </summary>
public sealed class DiskBackend : IStorageBackend
{
    /// <summary>Files whose names start with this are temporary and never keys.</summary>
    public const string TemporaryPrefix = ".zarr-actors-tmp.";

    /// <summary>
    /// The directory at the top of the root that belongs to the store itself (its leases): never a key,
    /// never listed or served, and no key can be written into it.
    /// </summary>
    public const string ReservedName = ".zarr-actors";

    public DiskBackend(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The absolute root directory.</summary>
    public string Root { get; }

    private long _bytesRead;

    public string Description => Root;

    /// <summary>How many bytes owners have read from value files: only what reads return, never a whole file for a range.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public IPrefixStorage Open(string prefix) => new DiskPrefixStorage(Root, prefix, CountRead);

    private void CountRead(int bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void Release(string prefix, IPrefixStorage storage) => ((DiskPrefixStorage)storage).Dispose();
}
