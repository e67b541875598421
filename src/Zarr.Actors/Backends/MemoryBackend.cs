using System.Collections.Concurrent;
using Zarr.Buffers;

namespace Zarr.Actors.Backends;

/// <summary>
/// Values in memory, kept per node beside the owners rather than inside them, so an owner can be
/// passivated or restarted without losing anything. Buffers are kept by reference: no copies. Versions
/// are numbered per backend (<see cref="MemoryVersions"/>): a new backend, after a restart, draws a new epoch.
/// </summary>
public sealed class MemoryBackend : IStorageBackend
{
    private readonly ConcurrentDictionary<string, MemoryPrefixStorage> _prefixes = new(StringComparer.Ordinal);
    private readonly MemoryVersions _versions = new();

    public string Description => "memory";

    public IPrefixStorage Open(string prefix) => _prefixes.GetOrAdd(prefix, static (_, versions) => new MemoryPrefixStorage(versions), _versions);

    public void Release(string prefix, IPrefixStorage storage)
    {
        if (storage.Count == 0 && storage.Children.Count == 0)
        {
            _prefixes.TryRemove(new KeyValuePair<string, MemoryPrefixStorage>(prefix, (MemoryPrefixStorage)storage));
        }
    }

    private sealed class MemoryPrefixStorage(MemoryVersions versions) : IPrefixStorage
    {
        private readonly Dictionary<string, (ByteBuffer Value, long Version)> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _children = new(StringComparer.Ordinal);

        public IEnumerable<string> Names => _values.Keys;
        public int Count => _values.Count;
        public long TotalBytes { get; private set; }

        public IReadOnlySet<string> Children => _children;

        public bool AddChild(string name) => _children.Add(name);

        public bool RemoveChild(string name) => _children.Remove(name);

        public WriteResult TryAdd(string name, ByteBuffer value) =>
            _values.ContainsKey(name) ? WriteResult.Of(WriteOutcome.PreconditionFailed) : Put(name, value);

        public bool Contains(string name) => _values.ContainsKey(name);

        public long SizeOf(string name) => _values.TryGetValue(name, out var entry) ? entry.Value.Length : -1;

        public ValueVersion? VersionOf(string name) =>
            _values.TryGetValue(name, out var entry) ? new ValueVersion(entry.Value.Length, versions.TagOf(entry.Version)) : null;

        public ByteBuffer? Read(string name, ByteRequest? range) =>
            _values.TryGetValue(name, out var entry) ? ByteRequest.Slice(entry.Value, range) : null;

        public StoredValue? ReadVersioned(string name, ByteRequest? range) =>
            _values.TryGetValue(name, out var entry)
                ? new StoredValue(ByteRequest.Slice(entry.Value, range), entry.Value.Length, versions.TagOf(entry.Version))
                : null;

        public WriteResult Put(string name, ByteBuffer value)
        {
            var created = !_values.TryGetValue(name, out var old);
            TotalBytes += value.Length - (old.Value?.Length ?? 0);
            var version = versions.Next();
            _values[name] = (value, version);
            return new WriteResult(created ? WriteOutcome.Created : WriteOutcome.Replaced, versions.TagOf(version));
        }

        public bool Remove(string name)
        {
            if (!_values.Remove(name, out var old))
            {
                return false;
            }

            TotalBytes -= old.Value.Length;
            return true;
        }
    }
}
