using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Sharding;

/// <summary>
/// Requests for owners on other nodes, sent in batches, one relay per node. Through the shard region,
/// each request to another node is one remote message with its own temporary reply actor (whose path
/// the other node resolves per message) and three mailbox hops there (region, shard, owner). Here a
/// facade's requests to one node queue up and leave together as one message to that node's relay,
/// which hands each straight to its owner; the owners' answers go back the same way, batched, to the
/// asking node's relay, which completes the callers' tasks.
/// </summary>
/// <remarks>
/// <para>A node learns where a shard lives by asking the region once (<see cref="LocateOwner"/>);
/// until then, and for large values, requests take the region's way. The relay on the other side
/// hands a request to the owner only while the owner is listed there (see <see cref="LocalOwners"/>,
/// whose lease guarantees it is handled); otherwise (not started yet, stopping, handed off) it
/// answers <see cref="NotRelayed"/> at once, nothing done, and the asking node sends that request
/// again through its own region, which buffers it through a hand-off, and looks the shard up again.
/// Either way the one owner of the prefix handles the request once, so what the owner guarantees
/// (order, atomic set-if-absent) is unchanged. A node that leaves, exits or cannot be reached is
/// forgotten at once, so its shards go back to the region's way while they move.</para>
/// <para>A request whose answer does not come within the timeout fails like an <c>Ask</c> would.</para>
/// </remarks>
public sealed class RemoteRelay : IExtension
{
    /// <summary>Values up to this size travel in batches; larger ones take the region's way.</summary>
    internal const int MaxBatchedValueBytes = 64 * 1024;

    // A batch is sent once it holds this much (replies may add one piece, PrefixOwner.PieceSize, on
    // top), so it stays well under the transport's frame limit.
    private const int MaxBatchBytes = 1024 * 1024;
    private const int MaxBatchItems = 1024;
    private const string RelayName = "zarr-relay";

    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<object>> _pending = new();
    private readonly ConcurrentDictionary<string, Node> _homes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Address, Node> _nodes = new();
    private readonly ConcurrentDictionary<string, bool> _locating = new(StringComparer.Ordinal);
    private readonly object _starting = new();
    private IActorRef? _relay;
    private Route? _route;
    private long _nextId;
    private long _relayed;
    private long _returned;
    private long _batches;

    internal RemoteRelay(ExtendedActorSystem system) => _system = system;

    /// <summary>The relay of <paramref name="system"/>.</summary>
    public static RemoteRelay Get(ActorSystem system) => system.WithExtension<RemoteRelay, RemoteRelayProvider>();

    /// <summary>Requests this node has sent through relays so far.</summary>
    public long RelayedRequests => Interlocked.Read(ref _relayed);

    /// <summary>Relayed requests another node's relay handed back (owner not listed there), sent again through the region.</summary>
    public long ReturnedRequests => Interlocked.Read(ref _returned);

    /// <summary>The batches those requests left in.</summary>
    public long RelayedBatches => Interlocked.Read(ref _batches);

    /// <summary>How many shards this node currently reaches through another node's relay.</summary>
    public int KnownShards => _homes.Count;

    /// <summary>
    /// Starts this node's relay actor, which serves other nodes (before the region starts, so it is there
    /// as soon as any owner of this node can be found). Idempotent.
    /// </summary>
    internal void Start(LocalOwners localOwners)
    {
        lock (_starting)
        {
            if (_relay is null && CanSerializeBatches)
            {
                _relay = _system.SystemActorOf(Props.Create(() => new RelayActor(this, localOwners)), RelayName);
            }
        }
    }

    /// <summary>Lets facades of this node send through relays, once the region is running.</summary>
    internal void Open(IActorRef region, IMessageExtractor extractor, TimeSpan timeout)
    {
        lock (_starting)
        {
            if (_route is null && _relay is not null)
            {
                _route = new Route(region, extractor, timeout, _relay);
            }
        }
    }

    /// <summary>Batches need their serializer bound (hocon/zarr-actors.conf does it); a system configured without it never relays.</summary>
    private bool CanSerializeBatches =>
        _system.Serialization.FindSerializerForType(typeof(RelayedRequests)) is Serialization.RelaySerializer &&
        _system.Serialization.FindSerializerForType(typeof(RelayedReplies)) is Serialization.RelaySerializer;

    /// <summary>
    /// Sends <paramref name="message"/> through the relay of the node that owns its shard, when that
    /// node is known and is another one, and the message is small; false, with nothing sent, otherwise.
    /// </summary>
    internal bool TryAsk(IPrefixMessage message, TimeSpan timeout, CancellationToken ct, out Task<object> reply)
    {
        reply = null!;
        if (_route is not { } route || !IsSmall(message) || route.Extractor.ShardId(PrefixMessageExtractor.EntityIdOf(message.Prefix), message) is not { } shard)
        {
            return false;
        }

        if (!_homes.TryGetValue(shard, out var node))
        {
            Locate(route, shard, message.Prefix);
            return false;
        }

        if (!node.IsReady)
        {
            return false;
        }

        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<object>(new Request(shard, message), TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        Interlocked.Increment(ref _relayed);
        node.Requests.Enqueue(new Relayed(id, message));
        reply = AwaitAsync(id, answer.Task, timeout, ct);
        return true;
    }

    private async Task<object> AwaitAsync(long id, Task<object> answer, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await PendingAnswer.WithinAsync(answer, timeout, "through the relay", ct).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static bool IsSmall(IPrefixMessage message) => message switch
    {
        PutValue put => put.Value.Length <= MaxBatchedValueBytes,
        IValueMessage => false,
        _ => true,
    };

    /// <summary>Asks the region where the owners of <paramref name="shard"/> run, once at a time per shard.</summary>
    private void Locate(Route route, string shard, string prefix)
    {
        if (!_locating.TryAdd(shard, true))
        {
            return;
        }

        route.Region.Ask<object>(new LocateOwner(prefix), route.Timeout).ContinueWith(
            located =>
            {
                _locating.TryRemove(shard, out _);
                if (located.IsCompletedSuccessfully && located.Result is OwnerLocation { Owner: var owner } &&
                    owner.Path.Address.HasGlobalScope && IsUp(owner.Path.Address))
                {
                    _homes[shard] = _nodes.GetOrAdd(owner.Path.Address, address => Connect(address, route));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Only a member that is up is reached through its relay (one leaving hands its shards off).</summary>
    private bool IsUp(Address address) =>
        Akka.Cluster.Cluster.Get(_system).State.Members.Any(m => m.Address == address && m.Status == MemberStatus.Up);

    /// <summary>
    /// The relay of another node, used once it has answered an <see cref="Identify"/>: a node whose relay
    /// is not running (or cannot read batches) is reached through the region only.
    /// </summary>
    private Node Connect(Address address, Route route)
    {
        var relay = _system.Provider.ResolveActorRef(new RootActorPath(address) / "system" / RelayName);
        var node = new Node(address, relay, route.Relay, () => Interlocked.Increment(ref _batches));
        relay.Ask<ActorIdentity>(new Identify(null), route.Timeout).ContinueWith(
            identified => node.IsReady = identified.IsCompletedSuccessfully && identified.Result.Subject is not null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return node;
    }

    /// <summary>An answer arrived from the relay of <paramref name="from"/>.</summary>
    private void Complete(Relayed reply, Address from)
    {
        if (!_pending.TryGetValue(reply.Id, out var answer))
        {
            return; // the caller gave up waiting
        }

        if (reply.Message is not NotRelayed)
        {
            answer.TrySetResult(reply.Message);
            return;
        }

        // Nothing was done there: forget where the shard was, and send the request the region's way
        // (the caller's own timeout still bounds the whole).
        Interlocked.Increment(ref _returned);
        var request = (Request)answer.Task.AsyncState!;
        if (_homes.TryGetValue(request.Shard, out var home) && home.Address == from)
        {
            _homes.TryRemove(new KeyValuePair<string, Node>(request.Shard, home));
        }

        _route!.Region.Ask<object>(request.Message, _route.Timeout).ContinueWith(
            answered =>
            {
                if (answered.IsCompletedSuccessfully)
                {
                    answer.TrySetResult(answered.Result);
                }
                else if (answered.Exception?.GetBaseException() is { } failure and not AskTimeoutException)
                {
                    answer.TrySetResult(new Status.Failure(failure));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>A node left or cannot be reached: its shards are looked up again when next used.</summary>
    private void Forget(Address address)
    {
        if (!_nodes.TryRemove(address, out var node))
        {
            return;
        }

        foreach (var home in _homes.Where(h => h.Value == node))
        {
            _homes.TryRemove(home);
        }
    }

    private static long SizeOf(object message) => message switch
    {
        ByteBuffer value => value.Length,
        PutValue put => put.Value.Length,
        ValuesRead read => read.Values.Sum(v => (long)(v?.Length ?? 0)),
        _ => 64,
    };

    private sealed record Route(IActorRef Region, IMessageExtractor Extractor, TimeSpan Timeout, IActorRef Relay);

    /// <summary>What a pending answer was asked for: enough to send it again the region's way.</summary>
    private sealed record Request(string Shard, IPrefixMessage Message);

    /// <summary>Another node, as seen from here: its relay, and the queue of requests for it.</summary>
    private sealed class Node(Address address, IActorRef relay, IActorRef localRelay, Action counter)
    {
        private volatile bool _ready;

        public Address Address { get; } = address;

        public bool IsReady
        {
            get => _ready;
            set => _ready = value;
        }

        public Outbox Requests { get; } = new(relay, localRelay, replies: false, sent: counter);
    }

    /// <summary>
    /// Messages for one other node's relay. The first message queued schedules a send; everything
    /// queued until that send runs leaves with it, so under load batches grow by themselves, and a
    /// lone message leaves at once.
    /// </summary>
    private sealed class Outbox(IActorRef target, IActorRef sender, bool replies, Action? sent = null) : IThreadPoolWorkItem
    {
        private readonly ConcurrentQueue<Relayed> _queue = new();
        private int _scheduled;

        public void Enqueue(Relayed item)
        {
            _queue.Enqueue(item);
            if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        public void Execute()
        {
            // A full fence before draining: a message queued after it schedules a send of its own.
            Interlocked.Exchange(ref _scheduled, 0);
            var batch = new List<Relayed>();
            long bytes = 0;
            while (_queue.TryDequeue(out var item))
            {
                batch.Add(item);
                bytes += SizeOf(item.Message);
                if (bytes >= MaxBatchBytes || batch.Count >= MaxBatchItems)
                {
                    Send(batch);
                    (batch, bytes) = ([], 0);
                }
            }

            if (batch.Count > 0)
            {
                Send(batch);
            }
        }

        private void Send(List<Relayed> batch)
        {
            target.Tell(replies ? new RelayedReplies(batch) : new RelayedRequests(batch), sender);
            sent?.Invoke();
        }
    }

    /// <summary>
    /// Where an owner answers a relayed request: straight into the batch of replies for the asking
    /// node. Its path is the asking relay's, so the owner knows its answer crosses the network (and
    /// sends large values in pieces, as it would to a remote <c>Ask</c>).
    /// </summary>
    private sealed class ReplySlot(long id, Outbox replies, ActorPath origin, IActorRefProvider provider) : MinimalActorRef
    {
        public override ActorPath Path => origin;

        public override IActorRefProvider Provider => provider;

        protected override void TellInternal(object message, IActorRef sender) => replies.Enqueue(new Relayed(id, message));
    }

    /// <summary>A node's relay: hands other nodes' requests to owners here, and takes in the answers to this node's.</summary>
    private sealed class RelayActor : ReceiveActor
    {
        // By the asking relay itself (not its address), so a restarted node never gets its predecessor's answers.
        private readonly Dictionary<IActorRef, Outbox> _replies = [];
        private readonly RemoteRelay _relay;
        private readonly LocalOwners _localOwners;

        public RelayActor(RemoteRelay relay, LocalOwners localOwners)
        {
            _relay = relay;
            _localOwners = localOwners;
            Receive<RelayedRequests>(Handle);
            Receive<RelayedReplies>(batch =>
            {
                var from = Sender.Path.Address;
                foreach (var reply in batch.Items)
                {
                    _relay.Complete(reply, from);
                }
            });
            Receive<ClusterEvent.MemberLeft>(left => Gone(left.Member.Address));
            Receive<ClusterEvent.MemberExited>(exited => Gone(exited.Member.Address));
            Receive<ClusterEvent.MemberRemoved>(removed => Gone(removed.Member.Address));
            Receive<ClusterEvent.UnreachableMember>(unreachable => Gone(unreachable.Member.Address));
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberLeft), typeof(ClusterEvent.MemberExited), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

        private void Gone(Address address)
        {
            foreach (var origin in _replies.Keys.Where(r => r.Path.Address == address).ToList())
            {
                _replies.Remove(origin);
            }

            _relay.Forget(address);
        }

        private void Handle(RelayedRequests batch)
        {
            var origin = Sender;
            if (!_replies.TryGetValue(origin, out var replies))
            {
                _replies[origin] = replies = new Outbox(origin, Self, replies: true);
            }

            var provider = ((IInternalActorRef)Self).Provider;
            foreach (var request in batch.Items)
            {
                if (request.Message is not IPrefixMessage message)
                {
                    replies.Enqueue(new Relayed(request.Id, new Status.Failure(new ArgumentException(
                        $"a relayed request must be addressed to a prefix, not a {request.Message.GetType().Name}"))));
                    continue;
                }

                if (!_localOwners.TryTell(message.Prefix, message, new ReplySlot(request.Id, replies, origin.Path, provider)))
                {
                    replies.Enqueue(new Relayed(request.Id, NotRelayed.Instance));
                }
            }
        }
    }
}

/// <summary>Creates the <see cref="RemoteRelay"/> extension, once per actor system.</summary>
public sealed class RemoteRelayProvider : ExtensionIdProvider<RemoteRelay>
{
    public override RemoteRelay CreateExtension(ExtendedActorSystem system) => new(system);
}
