using System.Globalization;
using Zarr.Actors.Backends;

namespace Zarr.Actors.Leases;

/// <summary>
/// The data directory's own corner, <c>&lt;data&gt;/.zarr-actors</c>, which is never a key, never listed and
/// never served. It holds one lock file per shard (<c>leases/&lt;type&gt;-&lt;shard&gt;.lock</c>) and the number
/// of shards the directory was first served with: a shard's lock fences its prefixes only if every process
/// maps prefixes to shards alike.
/// </summary>
internal sealed class ReservedDirectory
{
    /// <summary>The file recording the number of shards.</summary>
    public const string ShardCountFile = "number-of-shards";

    private ReservedDirectory(string root)
    {
        Root = root;
        Path = System.IO.Path.Combine(root, DiskBackend.ReservedName);
        LeasesPath = System.IO.Path.Combine(Path, "leases");
    }

    /// <summary>The data directory (absolute).</summary>
    public string Root { get; }

    /// <summary><c>&lt;data&gt;/.zarr-actors</c>.</summary>
    public string Path { get; }

    /// <summary>Where the lock files are.</summary>
    public string LeasesPath { get; }

    /// <summary>
    /// Creates the reserved directory under <paramref name="root"/> if needed, records
    /// <paramref name="numberOfShards"/> there the first time, and refuses (with both numbers) a different one.
    /// Also checks that the file system grants locks at all, so a node on one that does not fails now.
    /// </summary>
    public static ReservedDirectory Prepare(string root, int numberOfShards)
    {
        var reserved = new ReservedDirectory(System.IO.Path.GetFullPath(root));
        CreateDurably(reserved.Root);
        CreateDurably(reserved.Path);
        CreateDurably(reserved.LeasesPath);

        var recorded = reserved.RecordShardCount(numberOfShards);
        if (recorded != numberOfShards)
        {
            throw new ArgumentException(
                $"zarr-actors.number-of-shards is {numberOfShards}, but the data directory '{reserved.Root}' was first served with {recorded} shards " +
                $"(recorded in {System.IO.Path.Combine(reserved.Path, ShardCountFile)}): every node on one data directory must use {recorded}, " +
                "or the same prefix would belong to different shards, and their leases would not keep two owners apart");
        }

        using (LockFile.TryLock(System.IO.Path.Combine(reserved.LeasesPath, ".probe"), $"a lock probe of process {Environment.ProcessId}"))
        {
            // Nothing to do: a file system without locks has thrown by now.
        }

        return reserved;
    }

    /// <summary>The lock file of the lease named <paramref name="name"/> (a shard's <c>&lt;type&gt;-&lt;shard&gt;</c>).</summary>
    public string LockPathOf(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return System.IO.Path.Combine(LeasesPath, safe.TrimStart('.') + ".lock");
    }

    /// <summary>The number of shards on record, recording <paramref name="numberOfShards"/> if there is none yet.</summary>
    private int RecordShardCount(int numberOfShards)
    {
        var record = System.IO.Path.Combine(Path, ShardCountFile);
        if (!File.Exists(record))
        {
            // Written whole, then published with an exclusive link: of two nodes starting at once, one number wins.
            var temporary = System.IO.Path.Combine(Path, $"{DiskBackend.TemporaryPrefix}{Guid.NewGuid():N}");
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    file.Write(System.Text.Encoding.ASCII.GetBytes(numberOfShards.ToString(CultureInfo.InvariantCulture) + "\n"));
                    file.Flush(flushToDisk: true);
                }

                if (NativeFileSystem.TryLink(temporary, record))
                {
                    NativeFileSystem.SyncDirectory(Path);
                }
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var text = File.ReadAllText(record).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var recorded) && recorded > 0
            ? recorded
            : throw new IOException($"'{record}' should hold the number of shards the data directory was first served with, not \"{text}\"");
    }

    private static void CreateDurably(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        NativeFileSystem.SyncDirectory(System.IO.Path.GetDirectoryName(directory)!);
    }
}
