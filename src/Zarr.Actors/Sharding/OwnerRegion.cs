using Akka.Actor;
using Akka.Cluster.Sharding;
using Zarr.Actors.Backends;
using Zarr.Actors.Leases;
using Zarr.Actors.Owners;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding.Relay;

namespace Zarr.Actors.Sharding;

/// <summary>
/// Starts the shard region of the prefix owners on a node: the backend, the dispatcher, the owners'
/// own passivation and stop message, and this node's relay. The facade only asks the region it returns.
/// </summary>
internal static class OwnerRegion
{
    /// <summary>Whether this node's facades send small requests for other nodes' owners in batches (see <see cref="RemoteRelay"/>).</summary>
    private const string RelaySetting = "zarr-actors.relay-remote-requests";

    /// <summary>
    /// Starts the region on <paramref name="system"/> (a cluster member) with <paramref name="settings"/>;
    /// throws <see cref="ArgumentException"/> for settings, or a configured frame, the store cannot run with.
    /// </summary>
    public static async Task<IActorRef> StartAsync(ActorSystem system, ActorStoreSettings settings)
    {
        if (settings.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.RequestTimeout, "RequestTimeout must be positive");
        }

        var config = system.Settings.Config;
        var shards = settings.NumberOfShards ?? config.GetInt("zarr-actors.number-of-shards", 100);
        if (shards <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), shards, "the number of shards must be positive");
        }

        var idleAfter = settings.PassivateIdleAfter ?? ConfiguredIdleTime(config);
        if (idleAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), idleAfter, "the idle time before passivation must not be negative");
        }

        WireLimits.CheckFrame(config);
        IStorageBackend backend = settings.DataDirectory is null
            ? new MemoryBackend()
            : new DiskBackend(settings.DataDirectory);
        var timeout = settings.RequestTimeout;
        var localOwners = LocalOwners.Get(system);

        // Disk owners block on fsync: they get threads of their own, so memory-speed work never waits behind them.
        var dispatcher = backend is DiskBackend ? "zarr-actors.disk-dispatcher" : null;

        // Owners passivate themselves (see OwnerLifetime): facades on their node reach them without the
        // shard, which would otherwise take a busy owner for an idle one. And they stop on their own
        // message, so what facades sent them directly is handled first (see LocalOwners).
        var sharding = ClusterShardingSettings.Create(system).WithPassivateIdleAfter(TimeSpan.Zero);

        // With a data directory, a shard runs its owners only while it holds the directory's lease for it.
        sharding = DataDirectoryLease.Apply(system, sharding, settings.DataDirectory, shards);

        // Other nodes' requests arrive in batches at this node's relay: it runs before any owner here can be found.
        var relay = RemoteRelay.Get(system);
        relay.Start(localOwners);
        var extractor = new PrefixMessageExtractor(shards);
        var region = await ClusterSharding.Get(system).StartAsync(
            PrefixShards.TypeName,
            entityId =>
            {
                var props = PrefixOwner.ShardedProps(PrefixShards.PrefixOf(entityId), backend, timeout, localOwners, idleAfter);
                return dispatcher is null ? props : props.WithDispatcher(dispatcher);
            },
            sharding,
            extractor,
            ClusterSharding.Get(system).DefaultShardAllocationStrategy(sharding),
            StopOwner.Instance).ConfigureAwait(false);
        if (!config.HasPath(RelaySetting) || config.GetBoolean(RelaySetting))
        {
            relay.Open(region, extractor, timeout);
        }

        return region;
    }

    /// <summary><c>zarr-actors.passivate-idle-after</c>: a duration, or <c>off</c> (zero: never passivate).</summary>
    private static TimeSpan ConfiguredIdleTime(Akka.Configuration.Config config)
    {
        const string path = "zarr-actors.passivate-idle-after";
        if (!config.HasPath(path))
        {
            return TimeSpan.FromMinutes(2);
        }

        return config.GetString(path).Trim().ToLowerInvariant() is "off" or "infinite"
            ? TimeSpan.Zero
            : config.GetTimeSpan(path);
    }
}
