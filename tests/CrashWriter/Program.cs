// Usage: CrashWriter <data-directory> <round>
// Writes keys crash/<round>/w<writer>/<n> from 8 concurrent writers, each value derived from its key
// (so a reader can tell a whole value from a partial one), and prints "ack <key>" once a write is
// acknowledged. It never stops by itself: the test kills it.
//
// Usage: CrashWriter hold-lease <data-directory> <lease-name>
// Takes that shard lease on the data directory, prints "held <lock file>" (or "refused") and holds it
// until it is killed: the lease tests' other process.
using System.Text;
using Zarr.Actors;
using Zarr.Buffers;

if (args is ["hold-lease", var data, var leaseName])
{
    return await LeaseHolder.HoldAsync(data, leaseName);
}

var directory = args[0];
var round = args[1];
await using var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = directory });
Console.Out.Flush();
var output = Console.Out;
var gate = new object();

await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
{
    for (var n = 0; ; n++)
    {
        var key = $"crash/{round}/w{writer}/{n}";
        await node.Store.SetAsync(key, ByteBuffer.FromMemory(CrashValue.Of(key)));
        lock (gate)
        {
            output.WriteLine("ack " + key);
            output.Flush();
        }
    }
})));
return 0;

/// <summary>The value written under a key: its UTF-8 text repeated to a length that varies with it.</summary>
public static class CrashValue
{
    public static byte[] Of(string key)
    {
        var text = Encoding.UTF8.GetBytes(key + ";");
        // FNV-1a: string.GetHashCode differs between processes, and the reader is another process.
        var hash = 2166136261u;
        foreach (var b in text)
        {
            hash = (hash ^ b) * 16777619u;
        }

        var length = 1 + (int)(hash % (256 * 1024));
        var value = new byte[length];
        for (var i = 0; i < length; i++)
        {
            value[i] = text[i % text.Length];
        }

        return value;
    }
}
