using Microsoft.Win32.SafeHandles;

namespace Zarr.Actors.Backends;

/// <summary>
/// Read handles of one prefix's value files, kept open between reads, so a range read is one positioned
/// read rather than open, stat, read and close. Each handle's version was read from the open file itself,
/// and values are never written in place, so whatever is read through a handle belongs to that version.
/// The owner drops a name's handle before it writes or removes the name; the least recently used handle
/// is closed when more than <see cref="Capacity"/> are open.
/// </summary>
internal sealed class OpenValueFiles : IDisposable
{
    /// <summary>How many files one prefix keeps open.</summary>
    public const int Capacity = 8;

    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>The open file of <paramref name="name"/>, opening <paramref name="path"/> when it is not; throws <see cref="FileNotFoundException"/> when it is gone.</summary>
    public OpenValueFile Get(string name, string path)
    {
        if (_files.TryGetValue(name, out var entry))
        {
            entry.LastUse = ++_clock;
            return entry.File;
        }

        if (_files.Count >= Capacity)
        {
            Drop(_files.MinBy(f => f.Value.LastUse).Key);
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var (length, tag) = FileVersions.Of(handle);
            var file = new OpenValueFile(handle, length, tag);
            _files[name] = new Entry(file) { LastUse = ++_clock };
            return file;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Closes the handle of <paramref name="name"/>, if open.</summary>
    public void Drop(string name)
    {
        if (_files.Remove(name, out var entry))
        {
            entry.File.Handle.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var entry in _files.Values)
        {
            entry.File.Handle.Dispose();
        }

        _files.Clear();
    }

    private sealed class Entry(OpenValueFile file)
    {
        public OpenValueFile File { get; } = file;

        public long LastUse { get; set; }
    }
}

/// <summary>An open value file and the version it holds.</summary>
internal sealed record OpenValueFile(SafeFileHandle Handle, long Length, string Tag);
