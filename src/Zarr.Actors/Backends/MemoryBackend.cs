using System.Collections.Concurrent;
using Zarr.Buffers;

namespace Zarr.Actors.Backends;

/// <summary>
/// Values in memory, kept per node beside the owners rather than inside them, so an owner can be
/// passivated or restarted without losing anything. Buffers are kept by reference: no copies.
/// </summary>
public sealed class MemoryBackend : IStorageBackend
{
    private readonly ConcurrentDictionary<string, MemoryPrefixStorage> _prefixes = new(StringComparer.Ordinal);

    public string Description => "memory";

    public IPrefixStorage Open(string prefix) => _prefixes.GetOrAdd(prefix, static _ => new MemoryPrefixStorage());

    public void Release(string prefix, IPrefixStorage storage)
    {
        if (storage.Count == 0 && storage.Children.Count == 0)
        {
            _prefixes.TryRemove(new KeyValuePair<string, MemoryPrefixStorage>(prefix, (MemoryPrefixStorage)storage));
        }
    }

    private sealed class MemoryPrefixStorage : IPrefixStorage
    {
        private readonly Dictionary<string, ByteBuffer> _values = new(StringComparer.Ordinal);

        public IEnumerable<string> Names => _values.Keys;
        public int Count => _values.Count;
        public long TotalBytes { get; private set; }
        private readonly HashSet<string> _children = new(StringComparer.Ordinal);

        public IReadOnlySet<string> Children => _children;

        public bool AddChild(string name) => _children.Add(name);

        public bool RemoveChild(string name) => _children.Remove(name);

        public bool TryAdd(string name, ByteBuffer value) => !_values.ContainsKey(name) && Put(name, value);

        public bool Contains(string name) => _values.ContainsKey(name);

        public bool TryGet(string name, out ByteBuffer value) => _values.TryGetValue(name, out value!);

        public long SizeOf(string name) => _values.TryGetValue(name, out var value) ? value.Length : -1;

        public bool Put(string name, ByteBuffer value)
        {
            var created = !_values.TryGetValue(name, out var old);
            TotalBytes += value.Length - (old?.Length ?? 0);
            _values[name] = value;
            return created;
        }

        public bool Remove(string name)
        {
            if (!_values.Remove(name, out var old))
            {
                return false;
            }

            TotalBytes -= old.Length;
            return true;
        }
    }
}
