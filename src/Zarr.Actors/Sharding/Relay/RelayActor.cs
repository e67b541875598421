using Akka.Actor;
using Akka.Cluster;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>A node's relay: hands other nodes' requests to owners here, and takes in the answers to this node's.</summary>
internal sealed class RelayActor : ReceiveActor
{
    // By the asking relay itself (not its address), so a restarted node never gets its predecessor's answers.
    private readonly Dictionary<IActorRef, Outbox> _replies = [];
    private readonly RemoteRelay _relay;
    private readonly LocalOwners _localOwners;

    public RelayActor(RemoteRelay relay, LocalOwners localOwners)
    {
        _relay = relay;
        _localOwners = localOwners;
        Receive<RelayedRequests>(Handle);
        Receive<RelayedReplies>(batch =>
        {
            var from = Sender.Path.Address;
            foreach (var reply in batch.Items)
            {
                _relay.Complete(reply, from);
            }
        });
        Receive<ClusterEvent.MemberLeft>(left => Gone(left.Member.Address));
        Receive<ClusterEvent.MemberExited>(exited => Gone(exited.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(removed => Gone(removed.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(unreachable => Gone(unreachable.Member.Address));
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberLeft), typeof(ClusterEvent.MemberExited), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Gone(Address address)
    {
        foreach (var origin in _replies.Keys.Where(r => r.Path.Address == address).ToList())
        {
            _replies.Remove(origin);
        }

        _relay.Forget(address);
    }

    private void Handle(RelayedRequests batch)
    {
        var origin = Sender;
        if (!_replies.TryGetValue(origin, out var replies))
        {
            _replies[origin] = replies = new Outbox(origin, Self, replies: true);
        }

        var provider = ((IInternalActorRef)Self).Provider;
        foreach (var request in batch.Items)
        {
            if (request.Message is not IPrefixMessage message)
            {
                replies.Enqueue(new Relayed(request.Id, new Status.Failure(new ArgumentException(
                    $"a relayed request must be addressed to a prefix, not a {request.Message.GetType().Name}"))));
                continue;
            }

            if (!_localOwners.TryTell(message.Prefix, message, new ReplySlot(request.Id, replies, origin.Path, provider)))
            {
                replies.Enqueue(new Relayed(request.Id, NotRelayed.Instance));
            }
        }
    }
}
