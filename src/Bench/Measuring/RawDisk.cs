using System.Globalization;
using System.Runtime.InteropServices;

namespace Zarr.Actors.Bench.Measuring;

/// <summary>What the disk does without the store: the baselines of the disk scenarios.</summary>
internal static partial class RawDisk
{
    public static void DurableWrite(string directory, string name, byte[] bytes)
    {
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + name + "." + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture));
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        SyncDirectory(directory);
    }

    /// <summary><paramref name="count"/> files written, made durable together (one syncfs), renamed, and the directory synced once.</summary>
    public static void GroupCommit(string directory, string name, byte[] bytes, int count)
    {
        Directory.CreateDirectory(directory);
        var thread = Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture);
        var temporaries = new string[count];
        for (var f = 0; f < count; f++)
        {
            temporaries[f] = Path.Combine(directory, $".{name}-{f}.{thread}");
            using var file = new FileStream(temporaries[f], FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(bytes);
        }

        SyncFileSystem(directory);
        for (var f = 0; f < count; f++)
        {
            File.Move(temporaries[f], Path.Combine(directory, $"{name}-{f}"), overwrite: true);
        }

        SyncDirectory(directory);
    }

    /// <summary>Asks the kernel to drop cached pages of the files (best effort; needs no privileges to be skipped).</summary>
    public static void DropPageCache(string root)
    {
        try
        {
            File.WriteAllText("/proc/sys/vm/drop_caches", "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            // Not root, or not Linux: the reads are warm then, for the store and the baseline alike.
        }
    }

    /// <summary>Makes the entries of <paramref name="directory"/> durable (fsync of the directory; Linux and macOS).</summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            WithDescriptor(directory, fd => Fsync(fd));
        }
    }

    /// <summary>Writes back everything written to the file system of <paramref name="path"/> (Linux <c>syncfs</c>; elsewhere nothing).</summary>
    private static void SyncFileSystem(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            WithDescriptor(path, fd => SyncFs(fd));
        }
    }

    private static void WithDescriptor(string path, Func<int, int> call)
    {
        const int readOnly = 0;
        var fd = Open(path, readOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{path}' (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (call(fd) != 0)
            {
                throw new IOException($"syncing '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
