using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Sharding.Relay;

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
    private const string RelayName = "zarr-relay";

    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<object>> _pending = new();
    private readonly ConcurrentDictionary<string, RelayNode> _homes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Address, RelayNode> _nodes = new();
    private readonly ConcurrentDictionary<string, bool> _locating = new(StringComparer.Ordinal);
    private readonly object _starting = new();
    private IActorRef? _relay;
    private RelayRoute? _route;
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
                _route = new RelayRoute(region, extractor, timeout, _relay);
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
        if (_route is not { } route || !IsSmall(message) || route.Extractor.ShardId(PrefixShards.EntityIdOf(message.Prefix), message) is not { } shard)
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
        var answer = new TaskCompletionSource<object>(new RelayedRequest(shard, message), TaskCreationOptions.RunContinuationsAsynchronously);
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

    private static bool IsSmall(IPrefixMessage message) =>
        message is not IValueMessage carrying || carrying.ValueBytes <= WireLimits.MaxBatchedValueBytes;

    /// <summary>Asks the region where the owners of <paramref name="shard"/> run, once at a time per shard.</summary>
    private void Locate(RelayRoute route, string shard, string prefix)
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
    private RelayNode Connect(Address address, RelayRoute route)
    {
        var relay = _system.Provider.ResolveActorRef(new RootActorPath(address) / "system" / RelayName);
        var node = new RelayNode(address, relay, route.Relay, () => Interlocked.Increment(ref _batches));
        relay.Ask<ActorIdentity>(new Identify(null), route.Timeout).ContinueWith(
            identified => node.IsReady = identified.IsCompletedSuccessfully && identified.Result.Subject is not null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return node;
    }

    /// <summary>An answer arrived from the relay of <paramref name="from"/>.</summary>
    internal void Complete(Relayed reply, Address from)
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
        var request = (RelayedRequest)answer.Task.AsyncState!;
        if (_homes.TryGetValue(request.Shard, out var home) && home.Address == from)
        {
            _homes.TryRemove(new KeyValuePair<string, RelayNode>(request.Shard, home));
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
    internal void Forget(Address address)
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
}

/// <summary>Creates the <see cref="RemoteRelay"/> extension, once per actor system.</summary>
public sealed class RemoteRelayProvider : ExtensionIdProvider<RemoteRelay>
{
    public override RemoteRelay CreateExtension(ExtendedActorSystem system) => new(system);
}
