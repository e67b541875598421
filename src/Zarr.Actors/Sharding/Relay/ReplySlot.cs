using Akka.Actor;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>
/// Where an owner answers a relayed request: straight into the batch of replies for the asking
/// node. Its path is the asking relay's, so the owner knows its answer crosses the network (and
/// sends large values in pieces, as it would to a remote <c>Ask</c>).
/// </summary>
internal sealed class ReplySlot(long id, Outbox replies, ActorPath origin, IActorRefProvider provider) : MinimalActorRef
{
    public override ActorPath Path => origin;

    public override IActorRefProvider Provider => provider;

    protected override void TellInternal(object message, IActorRef sender) => replies.Enqueue(new Relayed(id, message));
}
