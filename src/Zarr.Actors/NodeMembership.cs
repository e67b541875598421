using Akka.Actor;
using Akka.Cluster;

namespace Zarr.Actors;

/// <summary>
/// Whether this node has joined its cluster. Before it has, the shard region can only buffer requests
/// until they time out, so the facade refuses them at once instead. Once joined, it stays so here
/// (what happens after a node leaves is the region's and the relay's business).
/// </summary>
internal sealed class NodeMembership(Cluster cluster)
{
    private volatile bool _joined;

    public static NodeMembership Of(ActorSystem system) => new(Cluster.Get(system));

    public Address Address => cluster.SelfAddress;

    public bool HasJoined
    {
        get
        {
            if (_joined)
            {
                return true;
            }

            // Read only until the first time it says yes: after that one volatile read per call.
            if (cluster.SelfMember.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting)
            {
                _joined = true;
            }

            return _joined;
        }
    }
}
