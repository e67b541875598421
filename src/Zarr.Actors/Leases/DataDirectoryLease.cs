using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Coordination;
using Akka.Event;

namespace Zarr.Actors.Leases;

/// <summary>
/// The lease a shard must hold before it starts the owners of its prefixes: an exclusive lock on
/// <c>&lt;data&gt;/.zarr-actors/leases/&lt;type&gt;-&lt;shard&gt;.lock</c>. Whatever cluster membership believes, at
/// most one process holds it, so at most one process owns a prefix of one data directory. The lock dies with
/// its process (a killed node frees its shards at once) and survives a pause (a paused node keeps them until
/// it resumes and leaves, or dies). A shard refused its lease stops, dropping what it held, and is started
/// again by its next request; a shard whose lease is lost (a periodic check finds the lock file removed or
/// replaced) stops its owners.
/// </summary>
public sealed class DataDirectoryLease : Lease
{
    /// <summary>Where the lease's settings are: <c>lease-class</c>, <c>release-grace</c>, <c>check-interval</c>.</summary>
    public const string ConfigPath = "zarr-actors.data-directory-lease";

    private readonly object _gate = new();
    private readonly string _name;
    private readonly string _root;
    private readonly string _holder;
    private readonly TimeSpan _checkInterval;
    private readonly TimeSpan _releaseGrace;
    private readonly ILoggingAdapter _log;
    private LockFile? _held;
    private Timer? _check;
    private Action<Exception>? _lost;
    private int _refusals;

    // Bumped by every release, so an acquire still waiting for the lock then takes nothing.
    private long _generation;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The constructor <see cref="LeaseProvider"/> calls, for each shard's lease.</summary>
    public DataDirectoryLease(LeaseSettings settings, ExtendedActorSystem system)
        : this(settings, LeaseDirectory.Get(system).Reserved, system.Name, Logging.GetLogger(system, typeof(DataDirectoryLease)))
    {
    }

    internal DataDirectoryLease(LeaseSettings settings, ReservedDirectory reserved, string systemName, ILoggingAdapter log) : base(settings)
    {
        // Sharding names a shard's lease "<system>-shard-<type>-<shard>"; the file leaves the system out, so
        // two clusters under different names on one directory contend for the same files.
        var prefix = $"{systemName}-shard-";
        _name = settings.LeaseName.StartsWith(prefix, StringComparison.Ordinal) ? settings.LeaseName[prefix.Length..] : settings.LeaseName;
        _root = reserved.Root;
        LockPath = reserved.LockPathOf(_name);
        // Sharding's owner name is the node's address (system@host:port).
        _holder = $"{settings.OwnerName}, process {Environment.ProcessId} on {Environment.MachineName}";
        _checkInterval = settings.LeaseConfig.GetTimeSpan("check-interval", TimeSpan.FromSeconds(2));
        _releaseGrace = settings.LeaseConfig.GetTimeSpan("release-grace", TimeSpan.FromMilliseconds(500));
        if (_checkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{ConfigPath}.check-interval must be positive, not {_checkInterval}");
        }

        _log = log;
    }

    /// <summary>The lock file this lease holds.</summary>
    public string LockPath { get; }

    /// <summary>
    /// Makes sharding take a lease on <paramref name="dataDirectory"/> before a shard starts its owners; returns
    /// <paramref name="settings"/> unchanged in memory mode (null), where there is nothing to fence. Creates the
    /// reserved directory, and refuses a <paramref name="numberOfShards"/> other than the one the directory was
    /// first served with.
    /// </summary>
    public static ClusterShardingSettings Apply(ActorSystem system, ClusterShardingSettings settings, string? dataDirectory, int numberOfShards)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        if (dataDirectory is null)
        {
            return settings;
        }

        if (!OperatingSystem.IsLinux())
        {
            Logging.GetLogger(system, typeof(DataDirectoryLease)).Warning(
                "the data directory {0} is not fenced: its leases need Linux (flock, statx), so two processes could own one prefix", dataDirectory);
            return settings;
        }

        var reserved = ReservedDirectory.Prepare(dataDirectory, numberOfShards);
        LeaseDirectory.Get(system).Use(reserved);
        if (!system.Settings.Config.HasPath(ConfigPath + ".lease-class"))
        {
            // An actor system configured without this project's HOCON gets it as a fallback: the lease's settings live there.
            system.Settings.InjectTopLevelFallback(NodeConfig.Defaults());
        }

        // Sharding's own retry after a refusal never fires: a refused lease reports itself lost, and the shard stops.
        return settings.WithLeaseSettings(new LeaseUsageSettings(ConfigPath, TimeSpan.FromSeconds(1)));
    }

    public override Task<bool> Acquire() => Acquire(_ => { });

    /// <summary>
    /// True once the lock is held (also when this lease already held it). While another holder has it, this
    /// waits up to <c>release-grace</c> for its release (in a hand-off the previous holder releases just after
    /// the coordinator has moved the shard), then answers false and reports the lease lost: the shard then
    /// stops and drops the requests it was holding, instead of carrying them out whenever the lease comes free,
    /// long after their callers were told "unavailable". Sharding starts the shard again for its next request
    /// (or at the region's next retry, every 2 s, for requests the region buffered meanwhile).
    /// </summary>
    public override Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        ArgumentNullException.ThrowIfNull(leaseLostCallback);
        var acquired = AcquireAsync(leaseLostCallback);
        _ = acquired.ContinueWith(
            task =>
            {
                if (task.IsFaulted)
                {
                    leaseLostCallback(task.Exception.GetBaseException());
                }
                else if (!task.Result)
                {
                    leaseLostCallback(new LeaseException($"the lease of shard {_name} of {_root} is held by another holder ({LockPath})"));
                }
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return acquired;
    }

    private async Task<bool> AcquireAsync(Action<Exception> leaseLostCallback)
    {
        long generation;
        lock (_gate)
        {
            generation = _generation;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            switch (TryTake(leaseLostCallback, generation))
            {
                case true:
                    return true;
                case null:
                    // Released while waiting: the shard that asked has stopped, so nothing is taken for it.
                    return false;
            }

            if (waited.Elapsed >= _releaseGrace)
            {
                break;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref _refusals) == 1)
        {
            _log.Warning("lease of shard {0} of {1} refused: another holder has {2} ({3}); the shard's prefixes are not served here, " +
                         "and requests for them fail as unavailable (503) after the request timeout",
                _name, _root, LockPath, LockFile.ReadHolder(LockPath) ?? "holder unknown");
        }

        return false;
    }

    /// <summary>True when the lock is now held, false when another holder has it, null when released since <paramref name="generation"/>.</summary>
    private bool? TryTake(Action<Exception> leaseLostCallback, long generation)
    {
        lock (_gate)
        {
            if (_generation != generation)
            {
                return null;
            }

            if (_held is not null)
            {
                _lost = leaseLostCallback;
                return true;
            }

            LockFile? file;
            try
            {
                file = LockFile.TryLock(LockPath, $"{_holder}, since {DateTime.UtcNow:O}");
            }
            catch (IOException e)
            {
                _log.Error("lease of shard {0} of {1} could not be taken: {2}", _name, _root, e.Message);
                throw new LeaseException($"the lease of shard {_name} of {_root} could not be taken: {e.Message}", e);
            }

            if (file is null)
            {
                return false;
            }

            _held = file;
            _lost = leaseLostCallback;
            _check = new Timer(Check, file, _checkInterval, _checkInterval);
            var refusals = Interlocked.Exchange(ref _refusals, 0);
            if (refusals > 0)
            {
                _log.Warning("lease of shard {0} of {1} acquired after {2} refusals: its prefixes are served here now", _name, _root, refusals);
            }
            else
            {
                _log.Info("lease of shard {0} of {1} acquired ({2})", _name, _root, LockPath);
            }

            return true;
        }
    }

    /// <summary>Unlocks and closes the lock file; true also when this lease did not hold it (nothing is left held).</summary>
    public override Task<bool> Release()
    {
        lock (_gate)
        {
            _generation++;
            if (_held is not null)
            {
                Drop();
                _log.Debug("lease of shard {0} of {1} released", _name, _root);
            }
        }

        return Task.FromResult(true);
    }

    /// <summary>True while the lock is held and the lock file's path still names the locked file.</summary>
    public override bool CheckLease()
    {
        lock (_gate)
        {
            return _held is { } held && held.Verify() is null;
        }
    }

    /// <summary>The periodic check: a lock file removed or replaced (or a lock no longer granted) loses the lease.</summary>
    private void Check(object? state)
    {
        Action<Exception>? lost;
        string problem;
        lock (_gate)
        {
            if (_held is null || !ReferenceEquals(_held, state) || _held.Verify() is not { } found)
            {
                return;
            }

            problem = found;
            lost = _lost;
            Drop();
        }

        _log.Error("lease of shard {0} of {1} lost: {2} ({3}); the shard stops its owners", _name, _root, problem, LockPath);
        lost?.Invoke(new LeaseException($"the lease of shard {_name} of {_root} was lost: {problem}"));
    }

    private void Drop()
    {
        _check?.Dispose();
        _check = null;
        _held?.Dispose();
        _held = null;
        _lost = null;
    }

    public override string ToString() => $"{nameof(DataDirectoryLease)}({LockPath})";
}
