using Akka.Configuration;
using Akka.Coordination;
using Akka.Event;
using Zarr.Actors.Leases;

/// <summary>Holds one shard's lease on a data directory until the process is killed (or paused).</summary>
internal static class LeaseHolder
{
    public static async Task<int> HoldAsync(string dataDirectory, string leaseName)
    {
        var settings = new LeaseSettings(leaseName, "lease-holder", new TimeoutSettings(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(5)),
            ConfigurationFactory.Empty);
        // Sharding names a lease "<system>-shard-<type>-<shard>": this process plays that system.
        var systemName = leaseName[..Math.Max(0, leaseName.IndexOf("-shard-", StringComparison.Ordinal))];
        var lease = new DataDirectoryLease(settings, ReservedDirectory.Prepare(dataDirectory, 100), systemName, NoLogger.Instance);
        if (!await lease.Acquire())
        {
            Console.WriteLine("refused");
            return 3;
        }

        Console.WriteLine($"held {lease.LockPath}");
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
