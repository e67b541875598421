using Akka.Actor;
using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding;

namespace Zarr.Actors.Owners;

/// <summary>
/// How an owner started by sharding lives and stops: it lists itself in <see cref="LocalOwners"/> so
/// facades on its node reach it directly, passivates itself when idle (messages sent to it directly never
/// pass its shard, so the shard cannot tell how busy it is), and on <see cref="StopOwner"/> lets every
/// direct sender finish before it stops.
/// </summary>
internal sealed class OwnerLifetime(string prefix, IActorContext context, ITimerScheduler timers, LocalOwners? localOwners, TimeSpan idleAfter)
{
    private const int QuietChecksToPassivate = 4;
    private LocalOwners.Lease? _lease;
    private long _handled;
    private long _handledAtLastCheck;
    private int _quietChecks;

    public void Start()
    {
        if (idleAfter > TimeSpan.Zero)
        {
            timers.StartPeriodicTimer(nameof(IdleCheck), IdleCheck.Instance, idleAfter / QuietChecksToPassivate);
        }

        _lease = localOwners?.Add(prefix, context.Self);
    }

    public void Stop()
    {
        if (_lease is not null)
        {
            localOwners!.Close(prefix, _lease);
        }
    }

    /// <summary>A message of the protocol arrived: the owner is not idle.</summary>
    public void Handled() => _handled++;

    /// <summary>
    /// Passivates the owner once no message arrived for <see cref="QuietChecksToPassivate"/> checks in a
    /// row (the idle time, to within a quarter), unless it is <paramref name="busy"/> (a value still arriving in pieces).
    /// </summary>
    public void CheckIdle(bool busy)
    {
        _quietChecks = _handled == _handledAtLastCheck ? _quietChecks + 1 : 0;
        _handledAtLastCheck = _handled;
        if (_quietChecks >= QuietChecksToPassivate && !busy)
        {
            Passivate();
        }
    }

    /// <summary>Asks the shard to stop the owner: it answers with <see cref="StopOwner"/> and holds new messages meanwhile.</summary>
    public void Passivate()
    {
        timers.Cancel(nameof(IdleCheck));
        context.Parent.Tell(new Passivate(StopOwner.Instance));
    }

    /// <summary>
    /// The shard stops the owner (passivation or hand-off): first no new direct sender may enter, then,
    /// once the ones inside have left, a stop queued behind every message they sent (see <see cref="LocalOwners"/>).
    /// </summary>
    public void BeginStop()
    {
        if (_lease is null)
        {
            context.Stop(context.Self);
            return;
        }

        localOwners!.Close(prefix, _lease);
        StopOnceDrained();
    }

    // A sender is inside the lease only for one enqueue; one preempted there makes this go round the
    // mailbox a few more times, other messages first.
    public void StopOnceDrained() => context.Self.Tell(_lease!.IsDrained ? PoisonPill.Instance : DrainCheck.Instance);

    internal sealed class IdleCheck : INoSerializationVerificationNeeded
    {
        public static readonly IdleCheck Instance = new();
    }

    internal sealed class DrainCheck : INoSerializationVerificationNeeded
    {
        public static readonly DrainCheck Instance = new();
    }
}
