using Akka.Actor;

namespace Zarr.Actors.Protocol;

/// <summary>
/// The message sharding stops owners with (on passivation and hand-off), so an owner can let its
/// direct senders finish first. Local only: the shard sends it to its own children.
/// </summary>
internal sealed class StopOwner : INoSerializationVerificationNeeded
{
    public static StopOwner Instance { get; } = new();

    private StopOwner()
    {
    }
}

/// <summary>Tells an owner to passivate now, as if it had been idle (tests and operators; local only).</summary>
internal sealed class PassivateNow : INoSerializationVerificationNeeded
{
    public static PassivateNow Instance { get; } = new();

    private PassivateNow()
    {
    }
}
