using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>What this node's facades need to relay: the region (to locate shards and to fall back to), and this node's relay.</summary>
internal sealed record RelayRoute(IActorRef Region, IMessageExtractor Extractor, TimeSpan Timeout, IActorRef Relay);
