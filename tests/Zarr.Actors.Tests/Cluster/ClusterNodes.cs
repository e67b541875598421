using Akka.Actor;
using Akka.Cluster;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>Several nodes in one process forming one cluster, each with its own actor system.</summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private ClusterNodes(IReadOnlyList<StoreNode> nodes) => Nodes = nodes;

    public IReadOnlyList<StoreNode> Nodes { get; }

    public static async Task<ClusterNodes> StartAsync(int count, string? dataDirectory = null, string? extraConfig = null, TimeSpan? requestTimeout = null)
    {
        var timeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        var first = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = dataDirectory, ExtraConfig = extraConfig, RequestTimeout = timeout });
        var nodes = new List<StoreNode> { first };
        var seed = $"127.0.0.1:{first.Address.Port}";
        try
        {
            for (var i = 1; i < count; i++)
            {
                nodes.Add(await StoreNode.StartAsync(new StoreNodeOptions
                {
                    DataDirectory = dataDirectory,
                    SeedNodes = [seed],
                    ExtraConfig = extraConfig,
                    RequestTimeout = timeout,
                }));
            }

            // Every node sees every other Up, so shards spread over all of them.
            await Task.WhenAll(nodes.Select(n => AllUpAsync(n.System, count))).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            throw;
        }

        return new ClusterNodes(nodes);
    }

    /// <summary>Completes once <paramref name="system"/> has seen <paramref name="count"/> members Up.</summary>
    public static Task AllUpAsync(ActorSystem system, int count)
    {
        var allUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new UpWatcher(count, allUp)));
        return allUp.Task;
    }

    /// <summary>Completes once this node has seen <c>count</c> members Up, then stops.</summary>
    private sealed class UpWatcher : ReceiveActor
    {
        private readonly HashSet<Address> _up = [];

        public UpWatcher(int count, TaskCompletionSource allUp)
        {
            Receive<ClusterEvent.MemberUp>(up =>
            {
                _up.Add(up.Member.Address);
                if (_up.Count >= count)
                {
                    allUp.TrySetResult();
                    Context.Stop(Self);
                }
            });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Reverse())
        {
            await node.DisposeAsync();
        }
    }
}
