using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace Zarr.Actors;

/// <summary>
/// A running node: an actor system that is a cluster member (of itself, by default), with the sharded
/// store started on it. Disposing it leaves the cluster and shuts the system down; from then on every
/// call on its stores throws <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed class StoreNode : IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);
    private int _disposed;

    private StoreNode(ActorSystem system, ActorStore store)
    {
        System = system;
        Store = store;
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The store served by this node.</summary>
    public ActorStore Store { get; }

    /// <summary>This node's cluster address, e.g. <c>akka.tcp://zarr-actors@127.0.0.1:4053</c>.</summary>
    public Address Address => Cluster.Get(System).SelfAddress;

    /// <summary>
    /// Starts a node, joins it to its seed nodes (or to itself), starts the sharded store and returns
    /// once the store answers requests.
    /// </summary>
    public static async Task<StoreNode> StartAsync(StoreNodeOptions options, CancellationToken ct = default)
    {
        var config = NodeConfig.Build(options);
        var settings = ZarrActorsSettings.Create(config); // a bad setting fails before the node starts
        var system = ActorSystem.Create(options.SystemName, config);
        try
        {
            var cluster = Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            if (options.SeedNodes.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(JoinTimeout);
                try
                {
                    await up.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new StoreUnavailableException(
                        $"the node at {cluster.SelfAddress} did not join the cluster (seeds: {(options.SeedNodes.Count == 0 ? "itself" : string.Join(", ", options.SeedNodes))}) within {JoinTimeout.TotalSeconds:0} s");
                }
            }

            var store = await ActorStore.StartAsync(system, settings).ConfigureAwait(false);

            await store.WaitUntilServingAsync(JoinTimeout, ct).ConfigureAwait(false);
            return new StoreNode(system, store);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Leaves the cluster (handing shards off) and shuts the actor system down.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await System.WhenTerminated.ConfigureAwait(false);
            return;
        }

        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await System.WhenTerminated.ConfigureAwait(false);
    }
}
