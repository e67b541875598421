using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Zarr.Actors.Backends;

/// <summary>
/// The version tag of a value file, read from its metadata, never from its bytes. On Linux: <c>statx</c>'s
/// device, inode, change time, modification time and size. Every write makes a new file (a temporary
/// renamed into place), stamped with a modification time that strictly increases within the process
/// (<see cref="Stamp"/>): an inode number the file system reuses, with a change time from a coarse clock,
/// cannot repeat a tag, because the stamp differs. The stamp lives in the file, so a tag survives
/// restarts; another program that replaces or rewrites the file changes the inode, times or size.
/// Elsewhere the tag is .NET's last write time, creation time and length (weaker: no inode).
/// </summary>
internal static partial class FileVersions
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;

    private static long _lastStamp;

    /// <summary>Sets the modification time of a file about to be published to this process's next write stamp.</summary>
    public static void Stamp(SafeFileHandle file) => File.SetLastWriteTimeUtc(file, new DateTime(NextStamp(), DateTimeKind.Utc));

    /// <summary>The length and tag of the open file <paramref name="file"/>: what a read of it returns belongs to that version.</summary>
    public static (long Length, string Tag) Of(SafeFileHandle file)
    {
        if (OperatingSystem.IsLinux())
        {
            var fd = (int)file.DangerousGetHandle();
            return Statx(fd, string.Empty, AtEmptyPath, out var status) == 0
                ? FromStatus(status)
                : throw new IOException($"cannot read the version of an open value file (statx errno {Marshal.GetLastPInvokeError()})");
        }

        return FromTimes(RandomAccess.GetLength(file), File.GetLastWriteTimeUtc(file), File.GetCreationTimeUtc(file));
    }

    /// <summary>The length and tag of the file at <paramref name="path"/> (not following a final symbolic link); null when there is none.</summary>
    public static (long Length, string Tag)? OfPath(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, out var status) == 0)
            {
                return FromStatus(status);
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno is ENoEnt or ENotDir ? null : throw new IOException($"cannot read the version of '{path}' (statx errno {errno})");
        }

        var info = new FileInfo(path);
        return info.Exists ? FromTimes(info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc) : null;
    }

    private static long NextStamp()
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastStamp);
            var next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last)
            {
                return next;
            }
        }
    }

    private static (long, string) FromStatus(in StatxBuffer status)
    {
        var size = (long)status.Size;
        return (size, string.Create(CultureInfo.InvariantCulture,
            $"\"f{status.DevMajor:x}.{status.DevMinor:x}-{status.Inode:x}-{Nanoseconds(status.ChangeTime):x}-{Nanoseconds(status.ModificationTime):x}-{size:x}\""));
    }

    private static (long, string) FromTimes(long length, DateTime written, DateTime created) =>
        (length, string.Create(CultureInfo.InvariantCulture, $"\"w{written.Ticks:x}-{created.Ticks:x}-{length:x}\""));

    private static long Nanoseconds(in StatxTimestamp time) => time.Seconds * 1_000_000_000 + time.Nanoseconds;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer status);

    // struct statx_timestamp and struct statx of <linux/stat.h>: the same layout on every architecture.
    [StructLayout(LayoutKind.Sequential)]
    private struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;
    }

    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint User;
        public uint Group;
        public ushort Mode;
        public ushort Spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp AccessTime;
        public StatxTimestamp BirthTime;
        public StatxTimestamp ChangeTime;
        public StatxTimestamp ModificationTime;
        public uint RDevMajor;
        public uint RDevMinor;
        public uint DevMajor;
        public uint DevMinor;
    }

    /// <summary>Overloads <see cref="Statx(int, string, int, uint, out StatxBuffer)"/> with the basic fields' mask.</summary>
    private static int Statx(int directory, string path, int flags, out StatxBuffer status) =>
        Statx(directory, path, flags, StatxBasicStats, out status);
}
