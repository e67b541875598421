using Akka.Actor;
using Akka.Cluster;

namespace Zarr.Actors;

/// <summary>
/// Whether this node has joined its cluster. Before it has, the shard region can only buffer requests
/// until they time out, so the facade refuses them at once instead. Once joined, it stays so here
/// (what happens after a node leaves is the region's and the relay's business).
/// </summary>
internal sealed class NodeMembership
{
    /// <summary>
    /// How long a call waits for the news of its node's joining: each listener hears of it on its own, so
    /// a caller told by its own callback may be a moment ahead of this one.
    /// </summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly Cluster _cluster;
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _joined;

    private NodeMembership(Cluster cluster)
    {
        _cluster = cluster;
        cluster.RegisterOnMemberUp(() =>
        {
            _joined = true;
            _up.TrySetResult();
        });
    }

    public static NodeMembership Of(ActorSystem system) => new(Cluster.Get(system));

    public Address Address => _cluster.SelfAddress;

    /// <summary>True once this node has been Up (one volatile read from then on).</summary>
    public bool HasJoined
    {
        get
        {
            if (!_joined && _cluster.SelfMember.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting)
            {
                _joined = true;
            }

            return _joined;
        }
    }

    /// <summary>Whether the node is Up, or becomes so within <see cref="Grace"/>.</summary>
    public async Task<bool> JoinsAsync(CancellationToken ct)
    {
        if (HasJoined)
        {
            return true;
        }

        try
        {
            await _up.Task.WaitAsync(Grace, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return HasJoined;
    }
}
