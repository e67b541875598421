using System.Runtime.InteropServices;

namespace Zarr.Actors.Backends;

/// <summary>
/// The POSIX calls .NET does not offer: <c>fsync</c> of a directory (so a new or renamed entry
/// survives a crash) and <c>link</c> (an exclusive publish of a fully written file).
/// </summary>
internal static partial class NativeFileSystem
{
    private const int ORdOnly = 0;
    private const int EExist = 17;

    /// <summary>Makes the entries of <paramref name="directory"/> durable. A no-op where the OS does it for us.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Makes <paramref name="target"/> a second name of <paramref name="source"/>; false when
    /// <paramref name="target"/> already exists. Atomic: the target appears complete or not at all.
    /// </summary>
    public static bool TryLink(string source, string target)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            // Elsewhere, a non-overwriting move is the closest exclusive publish.
            try
            {
                File.Move(source, target, overwrite: false);
                File.Copy(target, source);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        if (Link(source, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EExist
            ? false
            : throw new IOException($"cannot link '{target}' (errno {errno})");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string source, string target);
}
