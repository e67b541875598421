using Zarr.Buffers;

namespace Zarr.Actors.Backends;

/// <summary>
/// One prefix's directory. The index (names, sizes, and version tags once known) is read once when the
/// owner starts; values are read from their files on demand, only the bytes asked for, with positioned
/// reads. Tags come from the files' metadata (<see cref="FileVersions"/>), never from their bytes. Only this
/// prefix's owner writes the directory.
/// </summary>
internal sealed class DiskPrefixStorage : IPrefixStorage, IDisposable
{
    private readonly string _root;
    private readonly string _prefix;
    private readonly string _directory;
    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);

    // Tags are read lazily (one statx) the first time a version is asked, and replaced by each write.
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly OpenValueFiles _open = new();
    private readonly HashSet<string> _children = new(StringComparer.Ordinal);
    private readonly Action<int> _countRead;

    // Set when a directory on the way from the root is a symbolic link: nothing is read or written
    // through it, so no key can reach outside the root.
    private readonly string? _refusal;

    // Set for the store's own directory and everything under it: nothing there is a key.
    private readonly bool _reserved;

    public DiskPrefixStorage(string root, string prefix, Action<int> countRead)
    {
        _countRead = countRead;
        _root = root;
        _prefix = prefix;
        _directory = prefix.Length == 0 ? root : Path.Combine(root, prefix);
        _reserved = IsReserved(prefix);
        _refusal = FindSymbolicLink(root, prefix);
        if (_refusal is null && !_reserved)
        {
            Load();
        }
    }

    public IEnumerable<string> Names => _sizes.Keys;
    public int Count => _sizes.Count;
    public long TotalBytes { get; private set; }
    public IReadOnlySet<string> Children => _children;

    public bool AddChild(string name) => !_reserved && !IsReserved(KeyRules.Join(_prefix, name)) && _children.Add(name);

    public bool RemoveChild(string name)
    {
        if (!_children.Remove(name))
        {
            return false;
        }

        PruneIfEmpty();
        return true;
    }

    public bool Contains(string name) => _sizes.ContainsKey(name);

    public long SizeOf(string name) => _sizes.TryGetValue(name, out var size) ? size : -1;

    public ValueVersion? VersionOf(string name)
    {
        if (!_sizes.TryGetValue(name, out var size))
        {
            return null;
        }

        if (_tags.TryGetValue(name, out var tag))
        {
            return new ValueVersion(size, tag);
        }

        if (FileVersions.OfPath(PathOf(name)) is not var (length, found))
        {
            // Removed behind our back; the contract lets us not see outside changes, but never serve a ghost.
            Forget(name);
            return null;
        }

        Record(name, length, found);
        return new ValueVersion(length, found);
    }

    public ByteBuffer? Read(string name, ByteRequest? range) => ReadVersioned(name, range)?.Value;

    public StoredValue? ReadVersioned(string name, ByteRequest? range)
    {
        if (!_sizes.ContainsKey(name))
        {
            return null;
        }

        OpenValueFile file;
        try
        {
            file = _open.Get(name, PathOf(name));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Forget(name);
            return null;
        }

        // The open file's own version: if another program replaced the file, the index follows what is served.
        Record(name, file.Length, file.Tag);
        var length = file.Length <= int.MaxValue
            ? (int)file.Length
            : throw new IOException($"cannot read {KeyRules.Quote(KeyRules.Join(_prefix, name))}: the file is larger than 2 GiB");
        var (start, count) = range?.Resolve(length) ?? (0, length);
        if (count == 0)
        {
            return new StoredValue(ByteBuffer.Empty, file.Length, file.Tag);
        }

        var bytes = GC.AllocateUninitializedArray<byte>(count);
        for (var done = 0; done < count;)
        {
            var read = RandomAccess.Read(file.Handle, bytes.AsSpan(done), start + done);
            if (read == 0)
            {
                _open.Drop(name);
                throw new IOException($"cannot read {KeyRules.Quote(KeyRules.Join(_prefix, name))}: the file became shorter while it was read");
            }

            done += read;
        }

        _countRead(count);
        return new StoredValue(ByteBuffer.FromMemory(bytes), file.Length, file.Tag);
    }

    public WriteResult Put(string name, ByteBuffer value)
    {
        CheckWritable(name);
        EnsureDirectory();
        _open.Drop(name);
        var temporary = WriteTemporary(name, value);
        File.Move(temporary, PathOf(name), overwrite: true);
        NativeFileSystem.SyncDirectory(_directory);
        var created = !_sizes.ContainsKey(name);
        RecordWritten(name);
        return new WriteResult(created ? WriteOutcome.Created : WriteOutcome.Replaced, _tags[name]);
    }

    public WriteResult TryAdd(string name, ByteBuffer value)
    {
        CheckWritable(name);
        EnsureDirectory();
        var temporary = WriteTemporary(name, value);
        try
        {
            if (!NativeFileSystem.TryLink(temporary, PathOf(name)))
            {
                // Another writer got there first (only possible if two processes ever owned this prefix).
                _open.Drop(name);
                _tags.Remove(name);
                Record(name, new FileInfo(PathOf(name)).Length);
                return WriteResult.Of(WriteOutcome.PreconditionFailed);
            }
        }
        finally
        {
            File.Delete(temporary);
        }

        NativeFileSystem.SyncDirectory(_directory);

        // After the temporary name is gone: removing a link changes the file's change time.
        RecordWritten(name);
        return new WriteResult(WriteOutcome.Created, _tags[name]);
    }

    public bool Remove(string name)
    {
        if (!_sizes.ContainsKey(name))
        {
            return false;
        }

        _open.Drop(name);
        File.Delete(PathOf(name));
        NativeFileSystem.SyncDirectory(_directory);
        Forget(name);
        PruneIfEmpty();
        return true;
    }

    /// <summary>Closes the files kept open for reads (the owner stopped).</summary>
    public void Dispose() => _open.Dispose();

    private string PathOf(string name) => Path.Combine(_directory, name);

    private void CheckWritable(string name)
    {
        if (_refusal is not null)
        {
            throw new IOException($"cannot write {KeyRules.Quote(KeyRules.Join(_prefix, name))}: {_refusal}");
        }

        if (_reserved || IsReserved(KeyRules.Join(_prefix, name)))
        {
            throw new InvalidKeyException(
                $"set: invalid key {KeyRules.Quote(KeyRules.Join(_prefix, name))}: \"{DiskBackend.ReservedName}\" at the top of the data directory is reserved for the store's own files (its leases)");
        }

        if (name.StartsWith(DiskBackend.TemporaryPrefix, StringComparison.Ordinal))
        {
            throw new InvalidKeyException(
                $"set: invalid key {KeyRules.Quote(KeyRules.Join(_prefix, name))}: names starting with \"{DiskBackend.TemporaryPrefix}\" are reserved for the disk backend's temporary files");
        }
    }

    /// <summary>Writes the value next to its final place under a temporary name, durably.</summary>
    private string WriteTemporary(string name, ByteBuffer value)
    {
        var temporary = Path.Combine(_directory, $"{DiskBackend.TemporaryPrefix}{Guid.NewGuid():N}");
        try
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(value.Span);
            FileVersions.Stamp(file.SafeFileHandle);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return temporary;
    }

    private void Record(string name, long size, string? tag = null)
    {
        _sizes.TryGetValue(name, out var old);
        _sizes[name] = size;
        TotalBytes += size - old;
        if (tag is not null)
        {
            _tags[name] = tag;
        }
    }

    /// <summary>Indexes the file just published under <paramref name="name"/> with its new version.</summary>
    private void RecordWritten(string name)
    {
        var (length, tag) = FileVersions.OfPath(PathOf(name))
            ?? throw new IOException($"{KeyRules.Quote(KeyRules.Join(_prefix, name))} vanished right after it was written");
        Record(name, length, tag);
    }

    private void Forget(string name)
    {
        _open.Drop(name);
        _tags.Remove(name);
        if (_sizes.Remove(name, out var old))
        {
            TotalBytes -= old;
        }
    }

    /// <summary>Creates this prefix's directory (and its parents), each new entry made durable.</summary>
    private void EnsureDirectory()
    {
        if (Directory.Exists(_directory))
        {
            return;
        }

        var missing = new Stack<string>();
        for (var dir = _directory; !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir);
            NativeFileSystem.SyncDirectory(Path.GetDirectoryName(dir)!);
        }
    }

    /// <summary>An emptied prefix leaves no directory behind, as zarr tools expect.</summary>
    private void PruneIfEmpty()
    {
        if (_prefix.Length == 0 || _reserved || _sizes.Count > 0 || _children.Count > 0)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: false);
            NativeFileSystem.SyncDirectory(Path.GetDirectoryName(_directory)!);
        }
        catch (IOException)
        {
            // Something that is not a key (a stray file, another tool's folder) stays, and so does the directory.
        }
    }

    private void Load()
    {
        var directory = new DirectoryInfo(_directory);
        if (!directory.Exists)
        {
            return;
        }

        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null || IsReserved(KeyRules.Join(_prefix, entry.Name)))
            {
                continue;
            }

            if (entry.Name.StartsWith(DiskBackend.TemporaryPrefix, StringComparison.Ordinal))
            {
                // Left by a crash mid-write: never a value, so it goes.
                TryDelete(entry);
                continue;
            }

            if (!IsValidName(entry.Name))
            {
                continue;
            }

            if (entry is FileInfo file)
            {
                Record(entry.Name, file.Length);
            }
            else if (entry is DirectoryInfo child && HoldsAKey(child))
            {
                _children.Add(entry.Name);
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> is the store's own directory or inside it.</summary>
    private static bool IsReserved(string path) =>
        path.StartsWith(DiskBackend.ReservedName, StringComparison.Ordinal) &&
        (path.Length == DiskBackend.ReservedName.Length || path[DiskBackend.ReservedName.Length] == '/');

    private static bool HoldsAKey(DirectoryInfo directory)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null || !IsValidName(entry.Name) ||
                entry.Name.StartsWith(DiskBackend.TemporaryPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (entry is FileInfo || (entry is DirectoryInfo child && HoldsAKey(child)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidName(string name)
    {
        try
        {
            KeyRules.ValidateKey(name, "load");
            return !name.Contains('/');
        }
        catch (InvalidKeyException)
        {
            return false;
        }
    }

    private static void TryDelete(FileSystemInfo entry)
    {
        try
        {
            entry.Delete();
        }
        catch (IOException)
        {
        }
    }

    private static string? FindSymbolicLink(string root, string prefix)
    {
        var path = root;
        foreach (var segment in prefix.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, segment);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null)
            {
                return $"'{path}' is a symbolic link, and keys never leave the data directory";
            }

            if (!info.Exists)
            {
                return null;
            }
        }

        return null;
    }
}
