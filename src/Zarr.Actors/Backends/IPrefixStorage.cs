using Zarr.Buffers;

namespace Zarr.Actors.Backends;

/// <summary>
/// The values under one prefix, as its owner sees them. Only the owner touches it, one message at a
/// time, so implementations need no locks. A write returns once it is as durable as the backend
/// promises, with the tag of the version it made: tags are fixed at write time, change on every write
/// and survive as long as the values do, so sizes, versions and conditions never read a value.
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

    /// <summary>The value's length, or -1 when absent.</summary>
    long SizeOf(string name);

    /// <summary>The length and tag of the current version, without reading the value; null when absent.</summary>
    ValueVersion? VersionOf(string name);

    /// <summary>The bytes <paramref name="range"/> selects (all when null); only those bytes are read. Null when absent.</summary>
    ByteBuffer? Read(string name, ByteRequest? range);

    /// <summary>As <see cref="Read"/>, with the length and tag of the version the bytes were read from.</summary>
    StoredValue? ReadVersioned(string name, ByteRequest? range);

    /// <summary>Stores the value: <see cref="WriteOutcome.Created"/> or <see cref="WriteOutcome.Replaced"/>, with the new tag.</summary>
    WriteResult Put(string name, ByteBuffer value);

    /// <summary>
    /// Stores the value only when the name is absent, atomically even against another process writing
    /// the same backend: <see cref="WriteOutcome.Created"/> with the new tag, or <see cref="WriteOutcome.PreconditionFailed"/>.
    /// </summary>
    WriteResult TryAdd(string name, ByteBuffer value);

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
