using Akka.Actor;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>Another node, as seen from here: its relay, and the queue of requests for it.</summary>
internal sealed class RelayNode(Address address, IActorRef relay, IActorRef localRelay, Action counter)
{
    private volatile bool _ready;

    public Address Address { get; } = address;

    /// <summary>True once its relay answered an <see cref="Identify"/>: before, requests take the region's way.</summary>
    public bool IsReady
    {
        get => _ready;
        set => _ready = value;
    }

    public Outbox Requests { get; } = new(relay, localRelay, replies: false, sent: counter);
}
