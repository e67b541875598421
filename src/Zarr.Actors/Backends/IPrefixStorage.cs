using Zarr.Buffers;

namespace Zarr.Actors.Backends;

/// <summary>
/// The values under one prefix, as its owner sees them. Only the owner touches it, one message at a
/// time, so implementations need no locks. A write returns once it is as durable as the backend
/// promises.
/// </summary>
public interface IPrefixStorage
{
    /// <summary>The names of the stored keys (the last segment only).</summary>
    IEnumerable<string> Names { get; }

    int Count { get; }

    /// <summary>The total length of the stored values.</summary>
    long TotalBytes { get; }

    /// <summary>The names of the child prefixes that hold keys; the owner maintains it.</summary>
    IReadOnlySet<string> Children { get; }

    /// <summary>Records a child prefix that holds keys; false when it was known.</summary>
    bool AddChild(string name);

    /// <summary>Forgets a child prefix that became empty; false when it was unknown.</summary>
    bool RemoveChild(string name);

    bool Contains(string name);

    bool TryGet(string name, out ByteBuffer value);

    /// <summary>The value's length, or -1 when absent.</summary>
    long SizeOf(string name);

    /// <summary>Stores the value; true when the name was new.</summary>
    bool Put(string name, ByteBuffer value);

    /// <summary>
    /// Stores the value only when the name is absent, atomically even against another process writing
    /// the same backend; true when it wrote.
    /// </summary>
    bool TryAdd(string name, ByteBuffer value);

    /// <summary>Removes the name; false when it was absent.</summary>
    bool Remove(string name);
}

/// <summary>Where owners keep their values: memory or disk.</summary>
public interface IStorageBackend
{
    /// <summary>A description for logs, e.g. <c>memory</c> or the data directory.</summary>
    string Description { get; }

    /// <summary>The storage of <paramref name="prefix"/>, loaded when its owner starts.</summary>
    IPrefixStorage Open(string prefix);

    /// <summary>The owner of <paramref name="prefix"/> stopped; its storage may be released when empty.</summary>
    void Release(string prefix, IPrefixStorage storage);
}
