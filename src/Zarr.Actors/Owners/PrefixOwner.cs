using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding;

namespace Zarr.Actors.Owners;

/// <summary>
/// The one actor that owns the keys directly under a prefix (<c>a/b/c/0</c> is owned by <c>a/b/c</c>).
/// It handles one message at a time, so set-if-absent, compare-and-set and shard merges are atomic
/// without locks. It only routes: the values are <see cref="PrefixValues"/>', shard merges
/// <see cref="ShardMerges"/>', the child prefixes and the parent handshake <see cref="ChildRegistry"/>'s,
/// values in pieces <see cref="LargeValueTransfers"/>', and listing, idleness and stopping <see cref="OwnerLifetime"/>'s.
/// </summary>
public sealed class PrefixOwner : ReceiveActor, IWithTimers
{
    private readonly string _prefix;
    private readonly IStorageBackend _backend;
    private readonly TimeSpan _timeout;
    private readonly IActorRef? _parentRouter;
    private readonly LocalOwners? _localOwners;
    private readonly TimeSpan _idleAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IPrefixStorage? _storage;
    private PrefixValues _values = null!;
    private ChildRegistry _children = null!;
    private LargeValueTransfers _transfers = null!;
    private ShardMerges _merges = null!;
    private OwnerLifetime _lifetime = null!;

    public PrefixOwner(string prefix, IStorageBackend backend, TimeSpan timeout, IActorRef? parentRouter, LocalOwners? localOwners, TimeSpan idleAfter)
    {
        _prefix = prefix;
        _backend = backend;
        _timeout = timeout;
        _parentRouter = parentRouter;
        _localOwners = localOwners;
        _idleAfter = idleAfter;

        Receive<GetValue>(m => _values.Get(m, Sender));
        Receive<GetVersionedValue>(m => _values.GetVersioned(m, Sender));
        Receive<GetValueVersion>(m => _values.Version(m, Sender));
        Receive<GetValuePiece>(m => _values.ReadPiece(m, Sender));
        Receive<GetValues>(m => _values.GetMany(m, Sender));
        Receive<ValueExists>(m => _values.Exists(m, Sender));
        Receive<GetValueSize>(m => _values.Size(m, Sender));
        Receive<ListDirectory>(_ => Sender.Tell(_values.Listing()));
        Receive<LocateOwner>(_ => Sender.Tell(new OwnerLocation(Self)));
        Receive<PutValue>(m => _values.Put(m, Sender));
        Receive<PutValuePiece>(m => _transfers.ReceivePiece(m, Sender));
        Receive<CommitValue>(m =>
        {
            if (_transfers.Assemble(m, Sender) is { } whole)
            {
                _values.Put(whole, Sender);
            }
        });
        Receive<MergeShard>(m => _merges.Merge(m, Sender));
        Receive<CommitShardMerge>(m => _merges.Commit(m, Sender));
        Receive<RemoveValue>(m => _values.Remove(m, Sender));
        Receive<RemoveAllValues>(_ => _values.RemoveAll(Sender));
        Receive<RegisterChild>(m => _children.Register(m, Sender));
        Receive<UnregisterChild>(m => _children.Unregister(m, Sender));
        Receive<OwnerLifetime.IdleCheck>(_ => _lifetime.CheckIdle(busy: _transfers.HasIncoming));
        Receive<PassivateNow>(_ => _lifetime.Passivate());
        Receive<StopOwner>(_ => _lifetime.BeginStop());
        Receive<OwnerLifetime.DrainCheck>(_ => _lifetime.StopOnceDrained());
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
        // Parents are reached through the region, wherever sharding placed them.
        var parents = _parentRouter ?? ActorRefs.Nobody;
        if (parents.IsNobody() && _prefix.Length > 0)
        {
            parents = ClusterSharding.Get(Context.System).ShardRegion(PrefixShards.TypeName);
        }

        _storage = _backend.Open(_prefix);
        _transfers = new LargeValueTransfers(_prefix, _timeout);
        _children = new ChildRegistry(_prefix, _storage, parents, _timeout, _log);
        _values = new PrefixValues(_prefix, _storage, _children, _log);
        _merges = new ShardMerges(_prefix, _storage, _values, _children, _transfers, _log);
        _lifetime = new OwnerLifetime(_prefix, Context, Timers, _localOwners, _idleAfter);
        _lifetime.Start();
    }

    protected override void PostStop()
    {
        _lifetime?.Stop();
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
            _lifetime.Handled();
        }

        return base.AroundReceive(receive, message);
    }
}
