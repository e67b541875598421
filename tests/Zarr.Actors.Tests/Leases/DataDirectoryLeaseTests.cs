using System.Diagnostics;
using System.Globalization;
using Akka.Configuration;
using Akka.Coordination;
using Akka.Event;
using Zarr.Actors.Leases;

namespace Zarr.Actors.Tests.Leases;

/// <summary>
/// The lease on the data directory by itself: one holder per lock file, in this process or another, freed
/// by release or by the holder's death (not its pause), and lost when its lock file is removed or replaced.
/// </summary>
public sealed class DataDirectoryLeaseTests : IDisposable
{
    private const string ShardLease = "zarr-a-shard-zarr-prefix-7";
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("zarr-lease-");
    private readonly List<DataDirectoryLease> _leases = [];

    private ReservedDirectory Reserved => ReservedDirectory.Prepare(_data.FullName, 100);

    /// <summary>A lease as sharding would create it for <paramref name="leaseName"/> in actor system <paramref name="systemName"/>.</summary>
    private DataDirectoryLease NewLease(string leaseName = ShardLease, string systemName = "zarr-a", string releaseGrace = "50ms")
    {
        var config = ConfigurationFactory.ParseString($"check-interval = 50ms\nrelease-grace = {releaseGrace}");
        var settings = new LeaseSettings(leaseName, "127.0.0.1:4053",
            new TimeoutSettings(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(5)), config);
        var lease = new DataDirectoryLease(settings, Reserved, systemName, NoLogger.Instance);
        _leases.Add(lease);
        return lease;
    }

    [Fact(DisplayName = "A lease is held by one holder at a time: a second one (another open file, same process) is refused until the first releases")]
    public async Task OneHolderAtATime()
    {
        var first = NewLease();
        var second = NewLease();
        Assert.True(await first.Acquire());
        Assert.True(first.CheckLease());

        Assert.False(await second.Acquire());
        Assert.False(second.CheckLease());
        Assert.True(first.CheckLease());

        Assert.True(await first.Release());
        Assert.False(first.CheckLease());
        Assert.True(await second.Acquire());
        Assert.True(second.CheckLease());

        // Sharding reuses one lease object for every start of a shard on a node.
        Assert.False(await first.Acquire());
        Assert.True(await second.Release());
        Assert.True(await first.Acquire());
    }

    [Fact(DisplayName = "An acquire waits out the release grace: a holder that releases meanwhile lets it in, with no refusal")]
    public async Task WaitsForAReleaseWithinTheGrace()
    {
        var first = NewLease();
        var second = NewLease(releaseGrace: "30s");
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await first.Acquire());

        var waiting = second.Acquire(reason => lost.TrySetResult(reason));
        Assert.False(waiting.IsCompleted);
        await first.Release();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(second.CheckLease());
        Assert.False(lost.Task.IsCompleted);
    }

    [Fact(DisplayName = "A refused acquire reports the lease lost, so sharding stops the shard and drops the requests it held")]
    public async Task RefusalReportsTheLeaseLost()
    {
        Assert.True(await NewLease().Acquire());
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.False(await NewLease().Acquire(reason => lost.TrySetResult(reason)));
        Assert.Contains("held by another holder", (await lost.Task.WaitAsync(TimeSpan.FromSeconds(10))).Message);
    }

    [Fact(DisplayName = "Releasing a lease whose acquire is still waiting takes nothing: the lock does not stay held for a shard that stopped")]
    public async Task ReleaseCancelsAWaitingAcquire()
    {
        var first = NewLease();
        var second = NewLease(releaseGrace: "30s");
        Assert.True(await first.Acquire());
        var waiting = second.Acquire();

        await second.Release();
        await first.Release();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(second.CheckLease());
        Assert.True(await NewLease().Acquire());
    }

    [Fact(DisplayName = "Lock files are named by type and shard, not by actor system: two clusters of different names contend for one file")]
    public async Task NamedByShardNotBySystem()
    {
        var inA = NewLease("zarr-a-shard-zarr-prefix-7", "zarr-a");
        var inB = NewLease("other-cluster-shard-zarr-prefix-7", "other-cluster");
        Assert.Equal(Path.Combine(_data.FullName, ".zarr-actors", "leases", "zarr-prefix-7.lock"), inA.LockPath);
        Assert.Equal(inA.LockPath, inB.LockPath);

        Assert.True(await inA.Acquire());
        Assert.False(await inB.Acquire());
        Assert.True(await NewLease("other-cluster-shard-zarr-prefix-8", "other-cluster").Acquire());
    }

    [Fact(DisplayName = "Removing the lock file loses the lease: the lost callback fires, and another holder gets a new file")]
    public async Task RemovedLockFileLosesTheLease()
    {
        var lease = NewLease();
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await lease.Acquire(reason => lost.TrySetResult(reason)));

        File.Delete(lease.LockPath);
        Assert.False(lease.CheckLease());
        var reason = await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("removed", reason.Message);

        Assert.True(await NewLease().Acquire());
        Assert.True(File.Exists(lease.LockPath));
    }

    [Fact(DisplayName = "Replacing the lock file loses the lease: the lock no longer fences anything another process can open")]
    public async Task ReplacedLockFileLosesTheLease()
    {
        var lease = NewLease();
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await lease.Acquire(reason => lost.TrySetResult(reason)));

        var replacement = lease.LockPath + ".new";
        await File.WriteAllTextAsync(replacement, "someone else's");
        File.Move(replacement, lease.LockPath, overwrite: true);

        Assert.False(lease.CheckLease());
        Assert.Contains("replaced", (await lost.Task.WaitAsync(TimeSpan.FromSeconds(10))).Message);
        Assert.True(await NewLease().Acquire());
    }

    [Fact(DisplayName = "A lease released before anything happened fires no lost callback, and release of an unheld lease is harmless")]
    public async Task ReleaseStopsTheCheck()
    {
        var lease = NewLease();
        Assert.True(await lease.Release());
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await lease.Acquire(reason => lost.TrySetResult(reason)));
        Assert.True(await lease.Release());

        // The file is removed after the release: a check still running would report it now.
        File.Delete(lease.LockPath);
        var other = NewLease();
        var otherLost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await other.Acquire(reason => otherLost.TrySetResult(reason)));
        File.Delete(other.LockPath);
        await otherLost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(lost.Task.IsCompleted);
    }

    [Fact(DisplayName = "A lock held by another process refuses others while it lives, also while it is stopped (SIGSTOP), and is free the moment it is killed (SIGKILL)")]
    public async Task AnotherProcessHoldsUntilItDies()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet", [writer, "hold-lease", _data.FullName, "holder-shard-zarr-prefix-7"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var holder = Process.Start(start)!;
        try
        {
            var line = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException($"the holder exited: {await holder.StandardError.ReadToEndAsync()}");
            Assert.StartsWith("held ", line);

            var lease = NewLease();
            Assert.Equal(lease.LockPath, line[5..]);
            Assert.False(await lease.Acquire());
            Assert.Contains($"process {holder.Id}", LockFile.ReadHolder(lease.LockPath));

            await SignalAsync("STOP", holder.Id);
            await StoppedAsync(holder.Id);
            Assert.False(await lease.Acquire());

            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
            Assert.True(await lease.Acquire());
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
                await holder.WaitForExitAsync();
            }
        }
    }

    [Fact(DisplayName = "The reserved directory records the number of shards once and refuses another number, naming both")]
    public void RecordsTheNumberOfShards()
    {
        ReservedDirectory.Prepare(_data.FullName, 100);
        Assert.Equal("100", File.ReadAllText(Path.Combine(_data.FullName, ".zarr-actors", "number-of-shards")).Trim());
        ReservedDirectory.Prepare(_data.FullName, 100);

        var error = Assert.Throws<ArgumentException>(() => ReservedDirectory.Prepare(_data.FullName, 64));
        Assert.Contains("64", error.Message);
        Assert.Contains("100", error.Message);
        Assert.Equal("100", File.ReadAllText(Path.Combine(_data.FullName, ".zarr-actors", "number-of-shards")).Trim());
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Returns once the kernel reports <paramref name="pid"/> stopped (state T in /proc).</summary>
    private static async Task StoppedAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await File.ReadAllTextAsync($"/proc/{pid}/stat", timeout.Token)).Split(')')[^1].Trim()[0] != 'T')
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public void Dispose()
    {
        foreach (var lease in _leases)
        {
            lease.Release().Wait();
        }

        _data.Delete(recursive: true);
    }
}
