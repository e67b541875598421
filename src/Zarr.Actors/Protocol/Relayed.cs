namespace Zarr.Actors.Protocol;

/// <summary>
/// One request or reply in a relay batch: <see cref="Message"/> under the origin's request
/// <see cref="Id"/>. On a reply, <see cref="Forwarded"/> says the owner was not on the relaying node,
/// so the request took the shard region's way from there (and the origin should look again).
/// </summary>
public readonly record struct Relayed(long Id, object Message, bool Forwarded = false);

/// <summary>Requests for owners on the receiving node, batched by the node that sends them. Replies: <see cref="RelayedReplies"/>.</summary>
public sealed record RelayedRequests(IReadOnlyList<Relayed> Items);

/// <summary>The replies to <see cref="RelayedRequests"/>, batched back to the node that asked.</summary>
public sealed record RelayedReplies(IReadOnlyList<Relayed> Items);
