using Akka.Actor;
using Akka.Cluster;
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
        if (!HostsOwners(system, settings))
        {
            region = await ClusterSharding.Get(system).StartProxyAsync(PrefixShards.TypeName, settings.Role, extractor).ConfigureAwait(false);
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

    /// <summary>Whether this node runs owners: every node without a role, else the nodes of <see cref="ZarrActorsSettings.Role"/>.</summary>
    public static bool HostsOwners(ActorSystem system, ZarrActorsSettings settings) =>
        string.IsNullOrEmpty(settings.Role) || Cluster.Get(system).SelfRoles.Contains(settings.Role);

    /// <summary>Returns once the coordinator lists this node's region (<paramref name="hostsOwners"/>), or any region (a proxy).</summary>
    public static async Task WaitForCoordinatorAsync(ActorSystem system, IActorRef region, bool hostsOwners, TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        var self = Cluster.Get(system).SelfAddress;
        try
        {
            while (true)
            {
                var regions = (await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, timeout.Token).ConfigureAwait(false)).Regions;
                if (hostsOwners ? regions.Contains(self) : regions.Count > 0)
                {
                    return;
                }

                // The coordinator learns of a region within a few of its retries (a region registers every 2 s).
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"the node at {self} found no shard coordinator within {within.TotalSeconds:0} s");
        }
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

        // With a data directory, a shard runs its owners only while it holds the directory's lease for it.
        sharding = DataDirectoryLease.Apply(system, sharding, settings.DataDirectory, settings.NumberOfShards);
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
