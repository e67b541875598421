using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Zarr.Actors.Owners;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Sharding;

/// <summary>
/// The facade's short way to owners on its own node: owners list themselves while they run, a message
/// that reaches a stopped owner is sent on through the region, and owners time their own idleness.
/// </summary>
public sealed class LocalOwnersTests : Akka.TestKit.Xunit2.TestKit
{
    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    [Fact(DisplayName = "A running owner is listed by its prefix, and unlisted once it stops")]
    public async Task OwnersListThemselves()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var owners = LocalOwners.Get(node.System);
        Assert.Null(owners.Find("g/a"));

        await node.Store.SetAsync("g/a/k", Bytes("v"));
        var owner = owners.Find("g/a");
        Assert.NotNull(owner);
        Assert.NotNull(owners.Find("g"));
        Assert.NotNull(owners.Find(""));

        Watch(owner);
        owner.Tell(PassivateNow.Instance);
        ExpectTerminated(owner);
        Assert.Null(owners.Find("g/a"));

        // The next message starts a new owner, listed in its turn.
        Assert.Equal(Bytes("v"), await node.Store.GetAsync("g/a/k"));
        Assert.NotNull(owners.Find("g/a"));
        Assert.NotEqual(owner, owners.Find("g/a"));
    }

    [Fact(DisplayName = "Writers racing an owner that keeps being passivated lose no message and never time out")]
    public async Task WritesSurviveOwnersStoppingUnderLoad()
    {
        // A short request timeout: a message lost with a stopping owner fails the test quickly.
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var store = node.Store;
        var owners = LocalOwners.Get(node.System);
        await store.SetAsync("race/p/seed", Bytes("0"));

        const int writers = 16;
        const int passivations = 20;
        var last = new int[writers];
        using var done = new CancellationTokenSource();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !done.IsCancellationRequested; i++)
            {
                await store.SetAsync($"race/p/w{w}", Bytes($"{w}:{i}"));
                Assert.Equal(Bytes($"{w}:{i}"), await store.GetAsync($"race/p/w{w}"));
                last[w] = i;
            }
        })).ToArray();

        // Passivate whichever owner is current, again and again, while the writers send to it directly.
        for (var stop = 0; stop < passivations; stop++)
        {
            IActorRef? owner = null;
            await AwaitAssertAsync(() => Assert.NotNull(owner = owners.Find("race/p")));
            Watch(owner!);
            owner!.Tell(PassivateNow.Instance);
            ExpectTerminated(owner!);
            Assert.DoesNotContain(writing, t => t.IsFaulted);
        }

        done.Cancel();
        await Task.WhenAll(writing);
        for (var w = 0; w < writers; w++)
        {
            Assert.Equal(Bytes($"{w}:{last[w]}"), await store.GetAsync($"race/p/w{w}"));
        }
    }

    [Fact(DisplayName = "A busy owner is not passivated, though its messages bypass the shard")]
    public async Task BusyOwnersStay()
    {
        // The idle checks are sent by hand (the owner's own timer first fires after 15 minutes), so what
        // counts as busy does not depend on how fast a loaded machine runs this loop.
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = "zarr-actors.passivate-idle-after = 1h" });
        await node.Store.SetAsync("busy/p/k", Bytes("v"));
        var owners = LocalOwners.Get(node.System);
        var owner = owners.Find("busy/p");
        Assert.NotNull(owner);

        // A request between every two checks: it must stay the same actor all along, for five times the
        // checks that passivate an idle owner.
        for (var check = 0; check < 20; check++)
        {
            Assert.Equal(Bytes("v"), await node.Store.GetAsync("busy/p/k"));
            owner.Tell(OwnerLifetime.IdleCheck.Instance);
            Assert.Equal(owner, owners.Find("busy/p"));
        }

        // Then, left alone for four checks, it goes.
        for (var check = 0; check < 4; check++)
        {
            owner.Tell(OwnerLifetime.IdleCheck.Instance);
        }

        await AwaitAssertAsync(() => Assert.Null(owners.Find("busy/p")), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.Equal(Bytes("v"), await node.Store.GetAsync("busy/p/k"));
    }

    [Fact(DisplayName = "A direct request is answered by the owner's first reply; failures come back as they were sent, later replies are dropped")]
    public async Task DirectRequestsTakeTheFirstReply()
    {
        var owners = LocalOwners.Get(Sys);
        var owner = CreateTestProbe();
        var lease = owners.Add("direct/p", owner.Ref);

        Assert.True(owners.TryAsk("direct/p", "first", RemainingOrDefault, CancellationToken.None, out var answered));
        Assert.Equal("first", owner.ExpectMsg<string>());
        Assert.False(owner.LastSender.Path.Address.HasGlobalScope); // owners see a local sender, as with Ask
        owner.Reply("one");
        owner.Reply("two");
        Assert.Equal("one", await answered);

        Assert.True(owners.TryAsk("direct/p", "second", RemainingOrDefault, CancellationToken.None, out var failed));
        owner.ExpectMsg("second");
        var cause = new InvalidOperationException("no");
        owner.Reply(new Status.Failure(cause));
        Assert.Same(cause, Assert.IsType<Status.Failure>(await failed).Cause);

        owners.Close("direct/p", lease);
        Assert.False(owners.TryAsk("direct/p", "third", RemainingOrDefault, CancellationToken.None, out _));
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact(DisplayName = "Two pending direct requests are two senders to the owner, though they share a path")]
    public async Task DirectRequestsAreDistinctSenders()
    {
        var owners = LocalOwners.Get(Sys);
        var owner = CreateTestProbe();
        owners.Add("two/p", owner.Ref);

        Assert.True(owners.TryAsk("two/p", "a", RemainingOrDefault, CancellationToken.None, out var first));
        owner.ExpectMsg("a");
        var firstSender = owner.LastSender;
        Assert.True(owners.TryAsk("two/p", "b", RemainingOrDefault, CancellationToken.None, out var second));
        owner.ExpectMsg("b");
        var secondSender = owner.LastSender;

        Assert.NotEqual(firstSender, secondSender);
        Assert.Equal(2, new HashSet<IActorRef> { firstSender, secondSender }.Count);
        Assert.Equal(2, new Dictionary<IActorRef, string> { [firstSender] = "a", [secondSender] = "b" }.Count);

        // Answered out of order, each caller still gets its own reply.
        secondSender.Tell("to b");
        firstSender.Tell("to a");
        Assert.Equal("to a", await first);
        Assert.Equal("to b", await second);
    }

    [Fact(DisplayName = "A direct request with no answer fails with AskTimeoutException, and a cancelled one is cancelled")]
    public async Task DirectRequestsTimeOutAndCancel()
    {
        var owners = LocalOwners.Get(Sys);
        var owner = CreateTestProbe();
        owners.Add("silent/p", owner.Ref);

        Assert.True(owners.TryAsk("silent/p", "hello?", TimeSpan.FromMilliseconds(200), CancellationToken.None, out var unanswered));
        owner.ExpectMsg("hello?");
        var timeout = await Assert.ThrowsAsync<AskTimeoutException>(() => unanswered);
        Assert.Contains("0.2 s", timeout.Message);

        using var cancel = new CancellationTokenSource();
        Assert.True(owners.TryAsk("silent/p", "wait", TimeSpan.FromMinutes(1), cancel.Token, out var cancelled));
        owner.ExpectMsg("wait");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact(DisplayName = "zarr-actors.passivate-idle-after takes off, and a negative idle time is refused")]
    public async Task PassivationSettings()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = "zarr-actors.passivate-idle-after = off" });
        await node.Store.SetAsync("kept/p/k", Bytes("v"));
        Assert.NotNull(LocalOwners.Get(node.System).Find("kept/p"));

        var error = Assert.Throws<ArgumentException>(() => ZarrActorsSettings.Create(node.System).WithPassivateIdleAfter(TimeSpan.FromSeconds(-1)));
        Assert.Contains("zarr-actors.passivate-idle-after", error.Message);
    }
}
