using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding;
using Zarr.Actors.Sharding.Relay;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>
/// Requests for owners on another node travel in batches through that node's relay, and keep every
/// guarantee the owner gives: order per caller, one set-if-absent winner, nothing lost when the owner stops.
/// </summary>
public sealed class RelayTests : Akka.TestKit.Xunit2.TestKit
{
    private static ByteBuffer Text(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private static string Read(ByteBuffer? value) => value is null ? "<absent>" : Encoding.UTF8.GetString(value.Span);

    [Fact(DisplayName = "64 callers on node A, owners on node B: requests go through the relay in batches, every answer right")]
    public async Task ManyCallersThroughTheRelay()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (near, far) = (cluster.Nodes[0], cluster.Nodes[1]);
        var prefixes = await PrefixesOwnedByAsync(near.Store, far, 8);
        var relay = RemoteRelay.Get(near.System);
        await ReachThroughRelayAsync(near.Store, relay, prefixes);
        var (relayedBefore, batchesBefore) = (relay.RelayedRequests, relay.RelayedBatches);

        // Each caller writes its own keys and reads each back at once (its writes must be seen, in
        // order), and all race set-if-absent on one key per round.
        const int callers = 64;
        const int rounds = 30;
        var winners = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var round = 0; round < rounds; round++)
            {
                var prefix = prefixes[(caller + round) % prefixes.Count];
                var key = $"{prefix}/c{caller}";
                await near.Store.SetAsync(key, Text($"{caller}:{round}"));
                Assert.Equal($"{caller}:{round}", Read(await near.Store.GetAsync(key)));

                var raced = $"{prefixes[round % prefixes.Count]}/race{round}";
                if (await near.Store.SetIfNotExistsAsync(raced, Text($"winner {caller}")))
                {
                    winners.GetOrAdd(raced, _ => []).Add(caller);
                }
            }
        })));

        var relayed = relay.RelayedRequests - relayedBefore;
        Assert.True(relayed >= callers * rounds * 3 / 2, $"only {relayed} of {callers * rounds * 3} requests went through the relay");
        Assert.True(relay.RelayedBatches - batchesBefore < relayed, $"{relayed} requests left in as many batches: nothing was batched");

        Assert.Equal(rounds, winners.Count);
        foreach (var (key, won) in winners)
        {
            var winner = Assert.Single(won);
            Assert.Equal($"winner {winner}", Read(await near.Store.GetAsync(key)));
            Assert.Equal($"winner {winner}", Read(await far.Store.GetAsync(key)));
        }

        // The key each caller wrote last holds its last value, on the owner's node too.
        for (var caller = 0; caller < callers; caller++)
        {
            Assert.Equal($"{caller}:{rounds - 1}", Read(await far.Store.GetAsync($"{prefixes[(caller + rounds - 1) % prefixes.Count]}/c{caller}")));
        }
    }

    [Fact(DisplayName = "An owner stopping again and again under relayed load loses no request")]
    public async Task OwnerStoppingUnderRelayedLoad()
    {
        // A request lost on the way would time out within 10 s and fail the writer.
        await using var cluster = await ClusterNodes.StartAsync(2, requestTimeout: TimeSpan.FromSeconds(10));
        var (near, far) = (cluster.Nodes[0], cluster.Nodes[1]);
        var prefix = (await PrefixesOwnedByAsync(near.Store, far, 1))[0];
        var relay = RemoteRelay.Get(near.System);
        await ReachThroughRelayAsync(near.Store, relay, [prefix]);
        var relayedBefore = relay.RelayedRequests;

        using var stop = new CancellationTokenSource();
        var written = new int[16];
        var writers = Enumerable.Range(0, written.Length).Select(writer => Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                await near.Store.SetAsync($"{prefix}/w{writer}", Text(i.ToString()));
                Volatile.Write(ref written[writer], i);
            }
        })).ToArray();

        var owners = LocalOwners.Get(far.System);
        var stopped = new HashSet<IActorRef>();
        for (var passivation = 0; passivation < 15; passivation++)
        {
            // Wait for a running owner that has not been stopped yet, then stop it while writes arrive.
            var owner = await AwaitOwnerAsync(owners, prefix, stopped);
            stopped.Add(owner);
            owner.Tell(PassivateNow.Instance);
            var before = written.Sum();
            await AwaitAssertAsync(() => Assert.True(written.Sum() > before + 16), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(10));
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers); // a lost request would surface here as StoreUnavailableException

        Assert.True(relay.RelayedRequests > relayedBefore, "no request went through the relay");
        for (var writer = 0; writer < written.Length; writer++)
        {
            Assert.Equal(written[writer].ToString(), Read(await far.Store.GetAsync($"{prefix}/w{writer}")));
        }
    }

    [Fact(DisplayName = "With relay-remote-requests = off every request takes the region's way, and works")]
    public async Task RelayOff()
    {
        await using var cluster = await ClusterNodes.StartAsync(2, extraConfig: "zarr-actors.relay-remote-requests = off");
        var (near, far) = (cluster.Nodes[0], cluster.Nodes[1]);
        var prefixes = await PrefixesOwnedByAsync(near.Store, far, 4);
        foreach (var prefix in prefixes)
        {
            for (var i = 0; i < 20; i++)
            {
                await near.Store.SetAsync($"{prefix}/k", Text(i.ToString()));
                Assert.Equal(i.ToString(), Read(await near.Store.GetAsync($"{prefix}/k")));
            }
        }

        Assert.Equal(0, RemoteRelay.Get(near.System).RelayedRequests);
        Assert.Equal(0, RemoteRelay.Get(near.System).KnownShards);
    }

    [Fact(DisplayName = "A relay answers each request of a batch under its id: listed owners answer, others are handed back undone, junk fails")]
    public async Task RelayAnswersEveryItem()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        await node.Store.SetAsync("listed/k", Text("here"));
        var relay = await node.System.ActorSelection("/system/zarr-relay").ResolveOne(TimeSpan.FromSeconds(5));

        relay.Tell(new RelayedRequests(
        [
            new Relayed(1, new GetValue("listed", "k", null)),
            new Relayed(2, "not a request"),
            new Relayed(3, new PutValue("unstarted", "k", Text("new"), WriteCondition.IfAbsent)),
            new Relayed(4, new GetValue("listed", "missing", null)),
        ]), TestActor);

        var replies = new Dictionary<long, Relayed>();
        while (replies.Count < 4)
        {
            foreach (var reply in ExpectMsg<RelayedReplies>(TimeSpan.FromSeconds(10)).Items)
            {
                replies.Add(reply.Id, reply);
            }
        }

        Assert.Equal("here", Read(Assert.IsAssignableFrom<ByteBuffer>(replies[1].Message)));
        var junk = Assert.IsType<ArgumentException>(Assert.IsType<Status.Failure>(replies[2].Message).Cause);
        Assert.Contains("String", junk.Message);
        Assert.Same(ValueAbsent.Instance, replies[4].Message);

        // No owner of "unstarted" runs: the request comes back undone, for the asker to send the region's way.
        Assert.Same(NotRelayed.Instance, replies[3].Message);
        Assert.Null(await node.Store.GetAsync("unstarted/k"));
        Assert.Equal(["listed"], await node.Store.ListDirAsync("").ToListAsync());
    }

    /// <summary>Prefixes whose owners <paramref name="owner"/> runs, as seen from <paramref name="from"/>.</summary>
    private static async Task<List<string>> PrefixesOwnedByAsync(ActorStore from, StoreNode owner, int count)
    {
        var region = ClusterSharding.Get(from.System).ShardRegion(ActorStore.TypeName);
        var found = new List<string>();
        for (var i = 0; found.Count < count; i++)
        {
            var location = await region.Ask<OwnerLocation>(new LocateOwner($"relay/p{i}"), TimeSpan.FromSeconds(10));
            if (location.Owner.Path.Address == owner.Address)
            {
                found.Add($"relay/p{i}");
            }
        }

        return found;
    }

    /// <summary>Uses each prefix until its shard's node is known and its relay has answered, so later requests go through it.</summary>
    private async Task ReachThroughRelayAsync(ActorStore store, RemoteRelay relay, IReadOnlyList<string> prefixes)
    {
        await AwaitAssertAsync(async () =>
        {
            var before = relay.RelayedRequests;
            foreach (var prefix in prefixes)
            {
                await store.ExistsAsync($"{prefix}/probe");
            }

            Assert.Equal(prefixes.Count, relay.RelayedRequests - before);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(20));
    }

    private async Task<IActorRef> AwaitOwnerAsync(LocalOwners owners, string prefix, HashSet<IActorRef> stopped)
    {
        IActorRef? owner = null;
        await AwaitAssertAsync(() =>
        {
            owner = owners.Find(prefix);
            Assert.True(owner is not null && !stopped.Contains(owner), "no new owner runs yet");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(5));
        return owner!;
    }
}
