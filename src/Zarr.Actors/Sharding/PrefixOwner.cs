using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Sharding;

/// <summary>
/// The one actor that owns the keys directly under a prefix (<c>a/b/c/0</c> is owned by <c>a/b/c</c>).
/// It handles one message at a time, so set-if-absent and compare-and-set are atomic without locks.
/// It also knows its non-empty child prefixes: a prefix registers with its parent before its first
/// write is acknowledged and unregisters before the delete that empties it is acknowledged, which keeps
/// <c>ListDir</c> to one message and lets the parent enforce "a name is a key or a directory, never both".
/// </summary>
public sealed class PrefixOwner : ReceiveActor, IWithTimers
{
    /// <summary>Values larger than this travel between nodes in pieces of this size.</summary>
    public const int PieceSize = 4 * 1024 * 1024;

    private readonly string _prefix;
    private readonly IStorageBackend _backend;
    private readonly TimeSpan _timeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, PendingTransfer> _transfers = new(StringComparer.Ordinal);

    // The large value being read in pieces: each piece neither re-reads it from disk nor re-hashes it.
    private (string Name, ByteBuffer Value, string Tag)? _pieceSource;
    private IActorRef _region;
    private IPrefixStorage _storage = null!;

    // Set when sharding runs this owner: it then announces itself to facades on this node, and
    // passivates itself when idle (messages sent to it directly never pass its shard, so the shard
    // cannot tell how busy it is).
    private readonly LocalOwners? _localOwners;
    private readonly TimeSpan _idleAfter;
    private LocalOwners.Lease? _lease;
    private long _handled;
    private long _handledAtLastCheck;
    private int _quietChecks;

    public PrefixOwner(string prefix, IStorageBackend backend, TimeSpan timeout, IActorRef? parentRouter, LocalOwners? localOwners, TimeSpan idleAfter)
    {
        _prefix = prefix;
        _backend = backend;
        _timeout = timeout;
        _region = parentRouter ?? ActorRefs.Nobody;
        _localOwners = localOwners;
        _idleAfter = idleAfter;

        Receive<GetValue>(Handle);
        Receive<GetValuePiece>(Handle);
        Receive<GetValues>(Handle);
        Receive<ValueExists>(m => Sender.Tell(_storage.Contains(m.Name) ? ValueExistence.Yes : ValueExistence.No));
        Receive<GetValueSize>(Handle);
        Receive<ListDirectory>(_ => Sender.Tell(Listing()));
        Receive<LocateOwner>(_ => Sender.Tell(new OwnerLocation(Self)));
        Receive<PutValue>(Handle);
        Receive<PutValuePiece>(Handle);
        Receive<CommitValue>(Handle);
        Receive<RemoveValue>(Handle);
        Receive<RemoveAllValues>(Handle);
        Receive<RegisterChild>(Handle);
        Receive<UnregisterChild>(Handle);
        Receive<IdleCheck>(_ => CheckIdle());
        Receive<PassivateNow>(_ => Passivate());
        Receive<StopOwner>(_ => BeginStop());
        Receive<DrainCheck>(_ => StopOnceDrained());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The props of the owner of <paramref name="prefix"/>. Messages to its parent go through
    /// <paramref name="parentRouter"/>, by default the shard region (tests pass a probe).
    /// </summary>
    public static Props Props(string prefix, IStorageBackend backend, TimeSpan timeout, IActorRef? parentRouter = null) =>
        Akka.Actor.Props.Create(() => new PrefixOwner(prefix, backend, timeout, parentRouter, null, TimeSpan.Zero));

    /// <summary>
    /// The props sharding starts owners with: each is listed in <paramref name="localOwners"/> while it
    /// runs, and passivates itself after <paramref name="idleAfter"/> without messages (zero: never).
    /// </summary>
    internal static Props ShardedProps(string prefix, IStorageBackend backend, TimeSpan timeout, LocalOwners localOwners, TimeSpan idleAfter) =>
        Akka.Actor.Props.Create(() => new PrefixOwner(prefix, backend, timeout, null, localOwners, idleAfter));

    protected override void PreStart()
    {
        if (_region.IsNobody() && !IsRoot)
        {
            // Parents are reached through the region, wherever sharding placed them.
            _region = ClusterSharding.Get(Context.System).ShardRegion(ActorStore.TypeName);
        }

        _storage = _backend.Open(_prefix);
        if (_idleAfter > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(nameof(IdleCheck), IdleCheck.Instance, _idleAfter / QuietChecksToPassivate);
        }

        _lease = _localOwners?.Add(_prefix, Self);
    }

    protected override void PostStop()
    {
        if (_lease is not null)
        {
            _localOwners!.Close(_prefix, _lease);
        }

        if (_storage is not null)
        {
            _backend.Release(_prefix, _storage);
        }
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        // Only the protocol counts as activity (timer messages arrive wrapped, and never count).
        if (message is IPrefixMessage)
        {
            _handled++;
        }

        return base.AroundReceive(receive, message);
    }

    private const int QuietChecksToPassivate = 4;

    /// <summary>
    /// Passivates this owner once no message arrived for <see cref="QuietChecksToPassivate"/> checks in a
    /// row (the idle time, to within a quarter), unless a large value is still arriving in pieces.
    /// </summary>
    private void CheckIdle()
    {
        _quietChecks = _handled == _handledAtLastCheck ? _quietChecks + 1 : 0;
        _handledAtLastCheck = _handled;
        if (_quietChecks >= QuietChecksToPassivate && _transfers.Count == 0)
        {
            Passivate();
        }
    }

    /// <summary>Asks the shard to stop this owner: it answers with <see cref="StopOwner"/> and holds new messages meanwhile.</summary>
    private void Passivate()
    {
        Timers.Cancel(nameof(IdleCheck));
        Context.Parent.Tell(new Passivate(StopOwner.Instance));
    }

    /// <summary>
    /// The shard stops this owner (passivation or hand-off): first no new direct sender may enter, then,
    /// once the ones inside have left, a stop queued behind every message they sent (see <see cref="LocalOwners"/>).
    /// </summary>
    private void BeginStop()
    {
        if (_lease is null)
        {
            Context.Stop(Self);
            return;
        }

        _localOwners!.Close(_prefix, _lease);
        StopOnceDrained();
    }

    // A sender is inside the lease only for one enqueue; one preempted there makes this go round the
    // mailbox a few more times, other messages first.
    private void StopOnceDrained() => Self.Tell(_lease!.IsDrained ? PoisonPill.Instance : DrainCheck.Instance);

    private bool IsEmpty => _storage.Count == 0 && _storage.Children.Count == 0;

    private bool IsRoot => _prefix.Length == 0;

    /// <summary>Whether a reply to the current sender crosses the network (and so a frame limit).</summary>
    private bool SenderIsRemote => Sender.Path.Address.HasGlobalScope;

    private string KeyOf(string name) => KeyRules.Join(_prefix, name);

    private void Handle(GetValue message)
    {
        if (!_storage.TryGet(message.Name, out var value))
        {
            Sender.Tell(ValueAbsent.Instance);
            return;
        }

        var slice = MemoryStore.Slice(value, message.Range);
        if (slice.Length > PieceSize && SenderIsRemote)
        {
            var start = message.Range?.Resolve(value.Length).Start ?? 0;
            _pieceSource = (message.Name, value, ContentTag.Of(value));
            Sender.Tell(new LargeValue(start, slice.Length, _pieceSource.Value.Tag));
            return;
        }

        Sender.Tell(slice);
    }

    private void Handle(GetValuePiece message)
    {
        // Any write of the name clears the source, so a matching source is the current value.
        if (_pieceSource is not { } source || source.Name != message.Name || source.Tag != message.Tag ||
            message.Start < 0 || message.Length < 0 || message.Start + message.Length > source.Value.Length)
        {
            Sender.Tell(ValueChanged.Instance);
            return;
        }

        Sender.Tell(source.Value.Slice((int)message.Start, message.Length));
    }

    private void Handle(GetValues message)
    {
        var values = new ByteBuffer?[message.Names.Count];
        var deferred = new List<int>();
        var budget = SenderIsRemote ? PieceSize : long.MaxValue;
        for (var i = 0; i < values.Length; i++)
        {
            if (!_storage.TryGet(message.Names[i], out var value))
            {
                continue;
            }

            var slice = MemoryStore.Slice(value, message.Ranges[i]);
            if (slice.Length > budget)
            {
                // Left for the caller to read alone, so no reply outgrows a frame.
                deferred.Add(i);
                continue;
            }

            budget -= slice.Length;
            values[i] = slice;
        }

        Sender.Tell(new ValuesRead(values, deferred));
    }

    private void Handle(GetValueSize message)
    {
        var size = _storage.SizeOf(message.Name);
        Sender.Tell(size >= 0
            ? new ValueSize(size)
            : new Status.Failure(new KeyNotFoundException($"getsize: key {KeyRules.Quote(KeyOf(message.Name))} not found")));
    }

    private void Handle(PutValue message)
    {
        if (RefuseInvalidName(message.Operation, message.Name))
        {
            return;
        }

        if (_storage.Children.Contains(message.Name))
        {
            Sender.Tell(new Status.Failure(new InvalidKeyException(
                $"{message.Operation}: invalid key {KeyRules.Quote(KeyOf(message.Name))}: it is a directory holding other keys, and a key is never also a directory")));
            return;
        }

        if (!IsMet(message.Condition, message.Name, out var exists))
        {
            Sender.Tell(WriteResult.Of(WriteOutcome.PreconditionFailed));
            return;
        }

        if (exists || !IsEmpty || IsRoot)
        {
            Put(message, Sender);
            return;
        }

        // The first key under this prefix: the parent must know the directory before the write is acknowledged.
        RunReplying(async sender =>
        {
            var conflict = await RegisterWithParentAsync();
            if (conflict is not null)
            {
                sender.Tell(new Status.Failure(new InvalidKeyException(
                    $"{message.Operation}: invalid key {KeyRules.Quote(KeyOf(message.Name))}: {KeyRules.Quote(conflict.Path)} is a key, and a key is never also a directory")));
                return;
            }

            Put(message, sender);
        });
    }

    private void Put(PutValue message, IActorRef sender)
    {
        ForgetPieceSource(message.Name);
        try
        {
            if (message.Condition == WriteCondition.IfAbsent)
            {
                // The backend re-checks: on disk this is an exclusive create, safe even across processes.
                sender.Tell(WriteResult.Of(_storage.TryAdd(message.Name, message.Value) ? WriteOutcome.Created : WriteOutcome.PreconditionFailed));
                return;
            }

            var created = _storage.Put(message.Name, message.Value);
            sender.Tell(WriteResult.Of(created ? WriteOutcome.Created : WriteOutcome.Replaced));
        }
        catch (Exception e)
        {
            _log.Error(e, "{0} {1} failed", message.Operation, KeyRules.Quote(KeyOf(message.Name)));
            sender.Tell(new Status.Failure(e));
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="condition"/> holds for <paramref name="name"/>. The value is read only for a
    /// compare-and-set: a plain set or delete, or a set-if-absent, needs to know only whether the name
    /// exists (on disk a read is a whole file).
    /// </summary>
    private bool IsMet(WriteCondition condition, string name, out bool exists)
    {
        if (!condition.ComparesValue)
        {
            exists = _storage.Contains(name);
            return condition.IsMetBy(exists ? ByteBuffer.Empty : null);
        }

        exists = _storage.TryGet(name, out var current);
        return condition.IsMetBy(exists ? current : null);
    }

    private void Handle(PutValuePiece message)
    {
        DropAbandonedTransfers();
        if (message.TotalLength is < 0 or > int.MaxValue || message.Offset < 0 || message.Offset + message.Piece.Length > message.TotalLength)
        {
            Sender.Tell(new Status.Failure(new ArgumentOutOfRangeException(nameof(message),
                $"piece [{message.Offset}, +{message.Piece.Length}) does not fit a value of {message.TotalLength} bytes")));
            return;
        }

        if (!_transfers.TryGetValue(message.TransferId, out var transfer))
        {
            _transfers[message.TransferId] = transfer = new PendingTransfer(new byte[message.TotalLength], DateTime.UtcNow);
        }
        else if (transfer.Bytes.Length != message.TotalLength)
        {
            Sender.Tell(new Status.Failure(new ArgumentException($"transfer {message.TransferId} changed its length")));
            return;
        }

        message.Piece.Span.CopyTo(transfer.Bytes.AsSpan((int)message.Offset));
        transfer.Received += message.Piece.Length;
        Sender.Tell(Done.Instance);
    }

    private void Handle(CommitValue message)
    {
        if (!_transfers.Remove(message.TransferId, out var transfer) || transfer.Received != transfer.Bytes.Length)
        {
            Sender.Tell(new Status.Failure(new StoreUnavailableException(
                $"set {KeyRules.Quote(KeyOf(message.Name))}: the value's pieces did not all arrive; nothing was written")));
            return;
        }

        Handle(new PutValue(message.Prefix, message.Name, ByteBuffer.FromMemory(transfer.Bytes), message.Condition));
    }

    /// <summary>Pieces of a writer that went away are dropped after twice the request timeout.</summary>
    private void DropAbandonedTransfers()
    {
        var cutoff = DateTime.UtcNow - 2 * _timeout;
        foreach (var id in _transfers.Where(t => t.Value.Started < cutoff).Select(t => t.Key).ToList())
        {
            _transfers.Remove(id);
        }
    }

    private void Handle(RemoveValue message)
    {
        if (RefuseInvalidName("delete", message.Name))
        {
            return;
        }

        if (!IsMet(message.Condition, message.Name, out var exists))
        {
            Sender.Tell(WriteResult.Of(WriteOutcome.PreconditionFailed));
            return;
        }

        if (!exists)
        {
            Sender.Tell(WriteResult.Of(WriteOutcome.Absent));
            return;
        }

        ForgetPieceSource(message.Name);
        _storage.Remove(message.Name);
        ReplyOnceParentKnows(WriteResult.Of(WriteOutcome.Deleted));
    }

    private void Handle(RemoveAllValues message)
    {
        _pieceSource = null;
        foreach (var name in _storage.Names.ToList())
        {
            _storage.Remove(name);
        }

        ReplyOnceParentKnows(Done.Instance);
    }

    private void Handle(RegisterChild message)
    {
        if (_storage.Contains(message.ChildName))
        {
            Sender.Tell(new DirectoryConflict(KeyOf(message.ChildName)));
            return;
        }

        if (_storage.Children.Contains(message.ChildName) || !IsEmpty || IsRoot)
        {
            _storage.AddChild(message.ChildName);
            Sender.Tell(Done.Instance);
            return;
        }

        // This prefix was empty, so it is not yet a directory of its own parent either.
        RunReplying(async sender =>
        {
            var conflict = await RegisterWithParentAsync();
            if (conflict is null)
            {
                _storage.AddChild(message.ChildName);
            }

            sender.Tell((object?)conflict ?? Done.Instance);
        });
    }

    private void Handle(UnregisterChild message)
    {
        if (!_storage.RemoveChild(message.ChildName))
        {
            Sender.Tell(Done.Instance);
            return;
        }

        ReplyOnceParentKnows(Done.Instance);
    }

    /// <summary>
    /// Names arrive from other nodes too; one that is not a single valid segment is refused before it
    /// can reach a backend (on disk, a name is a path).
    /// </summary>
    private bool RefuseInvalidName(string operation, string name)
    {
        var key = KeyOf(name);
        try
        {
            KeyRules.ValidateKey(key, operation);
            if (name.Contains('/'))
            {
                throw new InvalidKeyException($"{operation}: invalid key {KeyRules.Quote(key)}: the name {KeyRules.Quote(name)} is not a single segment of {KeyRules.Quote(_prefix)}");
            }

            return false;
        }
        catch (InvalidKeyException e)
        {
            Sender.Tell(new Status.Failure(e));
            return true;
        }
    }

    /// <summary>Replies at once, or, when this prefix just became empty, once the parent has forgotten it.</summary>
    private void ReplyOnceParentKnows(object reply)
    {
        if (!IsEmpty || IsRoot)
        {
            Sender.Tell(reply);
            return;
        }

        RunReplying(async sender =>
        {
            await AskParentAsync(new UnregisterChild(KeyRules.ParentOf(_prefix), KeyRules.NameOf(_prefix)));
            sender.Tell(reply);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the mailbox suspended, so no other message for this prefix is
    /// handled until the parent has answered; a parent that does not answer fails the request, not the actor.
    /// </summary>
    private void RunReplying(Func<IActorRef, Task> work)
    {
        var sender = Sender;
        RunTask(async () =>
        {
            try
            {
                await work(sender);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                sender.Tell(new Status.Failure(new StoreUnavailableException(
                    $"the owner of {KeyRules.Quote(KeyRules.ParentOf(_prefix))} did not answer the owner of {KeyRules.Quote(_prefix)} within {_timeout.TotalSeconds:0.#} s", e)));
            }
        });
    }

    private async Task<DirectoryConflict?> RegisterWithParentAsync() =>
        await AskParentAsync(new RegisterChild(KeyRules.ParentOf(_prefix), KeyRules.NameOf(_prefix))) as DirectoryConflict;

    /// <summary>
    /// Asks the parent's owner, retrying: (un)registration is idempotent, and a message in flight while
    /// the parent's shard is handed off to another node can be lost.
    /// </summary>
    private async Task<object> AskParentAsync(IPrefixMessage message)
    {
        const int attempts = 4;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reply = await _region.Ask<object>(message, _timeout / attempts);
                return reply is Status.Failure failure ? throw failure.Cause : reply;
            }
            catch (AskTimeoutException) when (attempt < attempts)
            {
                _log.Warning("the owner of {0} did not answer {1}; asking again", KeyRules.Quote(message.Prefix), message.GetType().Name);
            }
        }
    }

    private void ForgetPieceSource(string name)
    {
        if (_pieceSource?.Name == name)
        {
            _pieceSource = null;
        }
    }

    private DirectoryListing Listing() =>
        new(_storage.Names.ToArray(), _storage.Children.ToArray(), _storage.TotalBytes);

    /// <summary>
    /// The message sharding stops owners with (on passivation and hand-off), so an owner can let its
    /// direct senders finish first. Local only: the shard sends it to its own children.
    /// </summary>
    internal sealed class StopOwner : INoSerializationVerificationNeeded
    {
        public static readonly StopOwner Instance = new();
    }

    /// <summary>Tells an owner to passivate now, as if it had been idle (tests and operators; local only).</summary>
    internal sealed class PassivateNow : INoSerializationVerificationNeeded
    {
        public static readonly PassivateNow Instance = new();
    }

    private sealed class IdleCheck : INoSerializationVerificationNeeded
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed class DrainCheck : INoSerializationVerificationNeeded
    {
        public static readonly DrainCheck Instance = new();
    }

    private sealed class PendingTransfer(byte[] bytes, DateTime started)
    {
        public byte[] Bytes { get; } = bytes;

        public DateTime Started { get; } = started;

        public long Received { get; set; }
    }
}
