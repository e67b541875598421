using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// An in-memory table of keys and values that keeps the contract's rules: a name is a key or a
/// directory, never both; directories exist only while they hold keys. Not thread-safe: its owner
/// serializes access (<see cref="MemoryStore"/> with a lock, an actor by its mailbox). Every value has a
/// version, numbered when it is set, whose tag changes on every write.
/// </summary>
public sealed class KeyValueTable
{
    private readonly Dictionary<string, (ByteBuffer Value, long Version)> _values = new(StringComparer.Ordinal);
    private readonly MemoryVersions _versions = new();

    // For every directory, the number of keys beneath it at any depth.
    private readonly Dictionary<string, int> _directories = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public bool TryGet(string key, out ByteBuffer value)
    {
        var found = _values.TryGetValue(key, out var entry);
        value = entry.Value;
        return found;
    }

    /// <summary>The value with its version's tag; false when absent.</summary>
    public bool TryGet(string key, out ByteBuffer value, out string tag)
    {
        if (!_values.TryGetValue(key, out var entry))
        {
            (value, tag) = (null!, null!);
            return false;
        }

        (value, tag) = (entry.Value, _versions.TagOf(entry.Version));
        return true;
    }

    /// <summary>The tag of the key's current version; null when absent.</summary>
    public string? TagOf(string key) => _values.TryGetValue(key, out var entry) ? _versions.TagOf(entry.Version) : null;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>Stores the value; true when the key is new. Throws when the key collides with a directory.</summary>
    public bool Set(string operation, string key, ByteBuffer value)
    {
        if (_values.ContainsKey(key))
        {
            _values[key] = (value, _versions.Next());
            return false;
        }

        CheckNewKey(operation, key);
        _values.Add(key, (value, _versions.Next()));
        ForEachAncestor(key, directory => _directories[directory] = _directories.GetValueOrDefault(directory) + 1);
        return true;
    }

    /// <summary>Stores the value only when the key is absent; true when it wrote.</summary>
    public bool SetIfNotExists(string operation, string key, ByteBuffer value) =>
        !_values.ContainsKey(key) && Set(operation, key, value);

    /// <summary>Removes the key; false when it was absent.</summary>
    public bool Remove(string key)
    {
        if (!_values.Remove(key))
        {
            return false;
        }

        ForEachAncestor(key, directory =>
        {
            var left = _directories[directory] - 1;
            if (left == 0)
            {
                _directories.Remove(directory);
            }
            else
            {
                _directories[directory] = left;
            }
        });
        return true;
    }

    /// <summary>Removes every key under the normalized <paramref name="prefix"/> (<c>""</c>: all).</summary>
    public void RemoveDirectory(string prefix)
    {
        if (prefix.Length == 0)
        {
            _values.Clear();
            _directories.Clear();
            return;
        }

        foreach (var key in KeysUnder(prefix).ToList())
        {
            Remove(key);
        }
    }

    /// <summary>Every key that starts with the plain string <paramref name="prefix"/>.</summary>
    public IEnumerable<string> KeysStartingWith(string prefix) =>
        _values.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The names of the immediate children of the normalized <paramref name="prefix"/>.</summary>
    public IEnumerable<string> ChildrenOf(string prefix)
    {
        if (prefix.Length > 0 && !_directories.ContainsKey(prefix))
        {
            return [];
        }

        var start = KeyRules.DirectoryOf(prefix).Length;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in KeysUnder(prefix))
        {
            var slash = key.IndexOf('/', start);
            names.Add(slash < 0 ? key[start..] : key[start..slash]);
        }

        return names;
    }

    /// <summary>The total length of the values under the normalized <paramref name="prefix"/>.</summary>
    public long SizeUnder(string prefix) => KeysUnder(prefix).Sum(key => (long)_values[key].Value.Length);

    /// <summary>True when no key lies under the normalized <paramref name="prefix"/>.</summary>
    public bool IsEmptyUnder(string prefix) => prefix.Length == 0 ? _values.Count == 0 : !_directories.ContainsKey(prefix);

    private IEnumerable<string> KeysUnder(string prefix) => KeysStartingWith(KeyRules.DirectoryOf(prefix));

    private void CheckNewKey(string operation, string key)
    {
        if (_directories.ContainsKey(key))
        {
            throw StoreErrors.KeyIsDirectory(operation, key);
        }

        ForEachAncestor(key, directory =>
        {
            if (_values.ContainsKey(directory))
            {
                throw StoreErrors.AncestorIsKey(operation, key, directory);
            }
        });
    }

    private static void ForEachAncestor(string key, Action<string> action)
    {
        for (var slash = key.IndexOf('/'); slash >= 0; slash = key.IndexOf('/', slash + 1))
        {
            action(key[..slash]);
        }
    }
}
