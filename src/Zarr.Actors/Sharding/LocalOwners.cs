using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Zarr.Actors.Telemetry;

namespace Zarr.Actors.Sharding;

/// <summary>
/// The prefix owners running on this node, by prefix, so a facade on the same node can send to an
/// owner directly: one mailbox hop instead of three (region, shard, owner). An owner lists itself when
/// it starts and unlists itself before it stops.
/// </summary>
/// <remarks>
/// Nothing sent directly may be lost when an owner stops (passivated when idle, or handed off to
/// another node). Each listing is a small lease: a sender enters it, enqueues its message and leaves,
/// and an owner about to stop first closes its lease, so no sender can enter again, then waits until
/// the senders inside have left, and only then sends itself the message that stops it. Every direct
/// message is therefore already in the owner's mailbox ahead of its stop, and is handled; later
/// messages take the region's way, where sharding buffers them until the next incarnation runs.
/// </remarks>
public sealed class LocalOwners : IExtension
{
    private readonly ConcurrentDictionary<string, Lease> _owners = new(StringComparer.Ordinal);
    private readonly IActorRefProvider _provider;
    private readonly ActorPath _replyPath;

    internal LocalOwners(ExtendedActorSystem system)
    {
        _provider = system.Provider;
        _replyPath = system.Provider.TempContainer.Path / "zarr-direct-reply";
        StoreTelemetry.Track(this, system.Provider.DefaultAddress.ToString());
        system.RegisterOnTermination(() => StoreTelemetry.Untrack(this));
    }

    /// <summary>How many owners run on this node (for the telemetry's gauge: it locks the table, so not for hot paths).</summary>
    public int Count => _owners.Count;

    /// <summary>The owners on <paramref name="system"/>.</summary>
    public static LocalOwners Get(ActorSystem system) => system.WithExtension<LocalOwners, LocalOwnersProvider>();

    /// <summary>The owner of <paramref name="prefix"/> when it runs on this node and is not stopping.</summary>
    public IActorRef? Find(string prefix) => _owners.TryGetValue(prefix, out var lease) && !lease.IsClosed ? lease.Owner : null;

    /// <summary>
    /// Asks the owner of <paramref name="prefix"/> directly when it runs on this node and is not
    /// stopping (<paramref name="reply"/> is then the pending answer, failing with
    /// <see cref="AskTimeoutException"/> after <paramref name="timeout"/>); false, with nothing sent,
    /// otherwise. A local <c>Tell</c> enqueues before it returns, so the message is in the mailbox
    /// when the lease is left.
    /// </summary>
    /// <remarks>
    /// Not Akka's <c>Ask</c>: that one registers a temporary actor under a new path per call. The owner
    /// only ever tells its sender, once, so a bare reference that completes a task is all a reply needs.
    /// </remarks>
    internal bool TryAsk(string prefix, object message, TimeSpan timeout, CancellationToken ct, out Task<object> reply)
    {
        if (_owners.TryGetValue(prefix, out var lease) && lease.TryEnter())
        {
            try
            {
                var answer = new Answer(_replyPath, _provider);
                lease.Owner.Tell(message, answer);
                reply = PendingAnswer.WithinAsync(answer.Task, timeout, "from the owner", ct);
                return true;
            }
            finally
            {
                lease.Leave();
            }
        }

        reply = null!;
        return false;
    }

    /// <summary>
    /// Tells the owner of <paramref name="prefix"/> directly, on behalf of <paramref name="sender"/>, when
    /// it runs on this node and is not stopping; false, with nothing sent, otherwise.
    /// </summary>
    internal bool TryTell(string prefix, object message, IActorRef sender)
    {
        if (_owners.TryGetValue(prefix, out var lease) && lease.TryEnter())
        {
            try
            {
                lease.Owner.Tell(message, sender);
                return true;
            }
            finally
            {
                lease.Leave();
            }
        }

        return false;
    }

    internal Lease Add(string prefix, IActorRef owner)
    {
        var lease = new Lease(owner);
        _owners[prefix] = lease;
        return lease;
    }

    /// <summary>Closes <paramref name="lease"/> and unlists it (a newer owner's listing stays).</summary>
    internal void Close(string prefix, Lease lease)
    {
        lease.Close();
        _owners.TryRemove(new KeyValuePair<string, Lease>(prefix, lease));
    }

    /// <summary>One owner's listing: its reference, whether it is stopping, and how many senders are inside.</summary>
    internal sealed class Lease(IActorRef owner)
    {
        private const int Closed = int.MinValue;

        // The sign bit says closed; the rest counts senders between TryEnter and Leave.
        private int _state;

        public IActorRef Owner { get; } = owner;

        public bool IsClosed => Volatile.Read(ref _state) < 0;

        /// <summary>True once closed with no sender inside: every direct message is in the mailbox.</summary>
        public bool IsDrained => Volatile.Read(ref _state) == Closed;

        public bool TryEnter()
        {
            var state = Volatile.Read(ref _state);
            while (state >= 0)
            {
                var seen = Interlocked.CompareExchange(ref _state, state + 1, state);
                if (seen == state)
                {
                    return true;
                }

                state = seen;
            }

            return false;
        }

        public void Leave() => Interlocked.Decrement(ref _state);

        public void Close() => Interlocked.Or(ref _state, Closed);
    }
}

/// <summary>
/// Where an owner's answer to a direct request goes: the first message it is told completes the task.
/// All answers share one path, so equality is by reference (Akka's is by path): two pending requests
/// must never be mistaken for one sender.
/// </summary>
internal sealed class Answer(ActorPath path, IActorRefProvider provider) : MinimalActorRef, IEquatable<IActorRef>
{
    private readonly TaskCompletionSource<object> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<object> Task => _answer.Task;

    public override ActorPath Path => path;

    public override IActorRefProvider Provider => provider;

    protected override void TellInternal(object message, IActorRef sender) => _answer.TrySetResult(message);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    bool IEquatable<IActorRef>.Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
}

/// <summary>Creates the <see cref="LocalOwners"/> extension, once per actor system.</summary>
public sealed class LocalOwnersProvider : ExtensionIdProvider<LocalOwners>
{
    public override LocalOwners CreateExtension(ExtendedActorSystem system) => new(system);
}
