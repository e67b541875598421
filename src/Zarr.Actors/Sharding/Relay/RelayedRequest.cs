using Zarr.Actors.Protocol;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>What a pending answer was asked for: enough to send it again the region's way.</summary>
internal sealed record RelayedRequest(string Shard, IPrefixMessage Message);
