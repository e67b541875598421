namespace Zarr.Actors.Protocol;

/// <summary>One request or reply in a relay batch: <see cref="Message"/> under the asking node's request <see cref="Id"/>.</summary>
public readonly record struct Relayed(long Id, object Message);

/// <summary>Requests for owners on the receiving node, batched by the node that sends them. Replies: <see cref="RelayedReplies"/>.</summary>
public sealed record RelayedRequests(IReadOnlyList<Relayed> Items);

/// <summary>The replies to <see cref="RelayedRequests"/>, batched back to the node that asked.</summary>
public sealed record RelayedReplies(IReadOnlyList<Relayed> Items);

/// <summary>
/// The reply of a relay whose node does not run the request's owner (not started, stopping, moved):
/// nothing was done, and the asking node sends the request again through its shard region.
/// </summary>
public sealed class NotRelayed
{
    public static NotRelayed Instance { get; } = new();

    private NotRelayed()
    {
    }
}
