using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Zarr.Actors.Backends;
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
    /// <summary>
    /// Starts the region on <paramref name="system"/> (a cluster member) with <paramref name="settings"/>: a
    /// full region on a node of <see cref="ZarrActorsSettings.Role"/> (or any node, without one), a proxy
    /// on others. Throws <see cref="ArgumentException"/> for a configured frame the store cannot run with.
    /// </summary>
    public static async Task<IActorRef> StartAsync(ActorSystem system, ZarrActorsSettings settings)
    {
        WireLimits.CheckFrame(system.Settings.Config);
        var timeout = settings.RequestTimeout;
        var localOwners = LocalOwners.Get(system);
        var extractor = new PrefixMessageExtractor(settings.NumberOfShards);

        // Other nodes' requests arrive in batches at this node's relay: it runs before any owner here can be found.
        // A proxy node runs one too: its own requests' answers come back through it.
        var relay = RemoteRelay.Get(system);
        relay.Start(localOwners);

        var role = string.IsNullOrEmpty(settings.Role) ? null : settings.Role;
        IActorRef region;
        if (role is not null && !Cluster.Get(system).SelfRoles.Contains(role))
        {
            region = await ClusterSharding.Get(system).StartProxyAsync(PrefixShards.TypeName, role, extractor).ConfigureAwait(false);
        }
        else
        {
            region = await StartHostingAsync(system, settings, role, extractor, localOwners).ConfigureAwait(false);
        }

        if (settings.RelayRemoteRequests)
        {
            relay.Open(region, extractor, timeout);
        }

        return region;
    }

    private static async Task<IActorRef> StartHostingAsync(ActorSystem system, ZarrActorsSettings settings, string? role,
        PrefixMessageExtractor extractor, LocalOwners localOwners)
    {
        IStorageBackend backend = settings.DataDirectory is null
            ? new MemoryBackend()
            : new DiskBackend(settings.DataDirectory);
        var timeout = settings.RequestTimeout;
        var idleAfter = settings.PassivateIdleAfter;

        // Disk owners block on fsync: they get threads of their own, so memory-speed work never waits behind them.
        var dispatcher = backend is DiskBackend ? settings.DiskDispatcher : null;

        // Owners passivate themselves (see OwnerLifetime): facades on their node reach them without the
        // shard, which would otherwise take a busy owner for an idle one. And they stop on their own
        // message, so what facades sent them directly is handled first (see LocalOwners). The coordinator
        // keeps its state in distributed data and no entity is remembered, whatever the configuration
        // says (Akka's default is persistence, which without a journal would forget shard homes).
        var sharding = ClusterShardingSettings.Create(system)
            .WithPassivateIdleAfter(TimeSpan.Zero)
            .WithStateStoreMode(StateStoreMode.DData)
            .WithRememberEntities(false)
            .WithRole(role);
        return await ClusterSharding.Get(system).StartAsync(
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
    }
}
