using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Testing;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Testing;

/// <summary>The supervising actors, driven by probes: refusals, the supervisor's decisions, and the data through both.</summary>
public sealed class TestBufferSupervisionSpec : TestKit
{
    private static TestBuffer Test(string text) => TestBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private IActorRef Keeper(IActorRef supervisor)
    {
        Sys.ActorSelection(supervisor.Path / "keeper").Tell(new Identify(1));
        return ExpectMsg<ActorIdentity>().Subject!;
    }

    private string? Read(IActorRef supervisor, string key)
    {
        supervisor.Tell(new ReadTestValues("get", TestBufferPrototype.Instance, [(key, null)]));
        var value = ExpectMsg<ByteBuffer?[]>()[0];
        return value is null ? null : Encoding.UTF8.GetString(value.Span);
    }

    [Fact(DisplayName = "A probe's wrong-buffer message gets Status.Failure, the keeper is resumed, and its data is intact")]
    public void WrongBufferIsResumed()
    {
        var supervisor = Sys.ActorOf(TestBufferSupervisor.Props());
        supervisor.Tell(new StoreTestValue("a/c/0", Test("kept"), OnlyIfAbsent: false));
        ExpectMsg(true);
        var keeper = Keeper(supervisor);
        Watch(keeper);

        supervisor.Tell(new StoreTestValue("a/c/0", ByteBuffer.FromBytes("plain"u8), OnlyIfAbsent: false));
        var failure = ExpectMsg<Status.Failure>();
        Assert.IsType<UnexpectedBufferTypeException>(failure.Cause);

        ExpectSupervision(supervisor, new SupervisionLog(Resumes: 1, Restarts: 0));
        Assert.Equal("kept", Read(supervisor, "a/c/0"));
        Assert.Same(keeper, Keeper(supervisor));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact(DisplayName = "An unexpected failure restarts the keeper, and the restarted keeper has every value")]
    public void UnexpectedFailureRestartsWithDataIntact()
    {
        var supervisor = Sys.ActorOf(TestBufferSupervisor.Props());
        for (var i = 0; i < 10; i++)
        {
            supervisor.Tell(new StoreTestValue($"a/c/{i}", Test($"value {i}"), OnlyIfAbsent: false));
            ExpectMsg(true);
        }

        supervisor.Tell(new RunOnTable("broken", _ => throw new InvalidOperationException("a bug in an operation")));
        Assert.IsType<InvalidOperationException>(ExpectMsg<Status.Failure>().Cause);

        ExpectSupervision(supervisor, new SupervisionLog(Resumes: 0, Restarts: 1));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"value {i}", Read(supervisor, $"a/c/{i}"));
        }
    }

    [Fact(DisplayName = "Expected refusals (a bad key, a missing size) fail the message without troubling the supervisor")]
    public void ExpectedRefusalsAreNotFailures()
    {
        var supervisor = Sys.ActorOf(TestBufferSupervisor.Props());
        supervisor.Tell(new StoreTestValue("a/b", Test("x"), OnlyIfAbsent: false));
        ExpectMsg(true);
        supervisor.Tell(new StoreTestValue("a", Test("y"), OnlyIfAbsent: false));
        Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);

        ExpectSupervision(supervisor, new SupervisionLog(0, 0));
    }

    [Fact(DisplayName = "Several probes interleaving rejected and valid writes lose no write")]
    public void InterleavedProbesLoseNothing()
    {
        var supervisor = Sys.ActorOf(TestBufferSupervisor.Props());
        var probes = Enumerable.Range(0, 6).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < 30; i++)
        {
            for (var p = 0; p < probes.Count; p++)
            {
                var key = $"p{p}/c/{i}";
                supervisor.Tell(new StoreTestValue(key, Test(key), OnlyIfAbsent: false), probes[p]);
                supervisor.Tell(new StoreTestValue(key, ByteBuffer.FromBytes("wrong"u8), OnlyIfAbsent: false), probes[p]);
                supervisor.Tell(new ReadTestValues("get", BufferPrototype.Default, [(key, null)]), probes[p]);
            }
        }

        foreach (var probe in probes)
        {
            for (var i = 0; i < 30; i++)
            {
                probe.ExpectMsg(true);
                Assert.IsType<UnexpectedBufferTypeException>(probe.ExpectMsg<Status.Failure>().Cause);
                Assert.IsType<UnexpectedBufferTypeException>(probe.ExpectMsg<Status.Failure>().Cause);
            }
        }

        ExpectSupervision(supervisor, new SupervisionLog(Resumes: 6 * 30 * 2, Restarts: 0));
        for (var p = 0; p < probes.Count; p++)
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal($"p{p}/c/{i}", Read(supervisor, $"p{p}/c/{i}"));
            }
        }
    }

    /// <summary>
    /// The supervisor's decisions reach <paramref name="expected"/>: a child's failure reaches its parent
    /// as a system message sent after the child replied, so the count is awaited, not read once.
    /// </summary>
    private void ExpectSupervision(IActorRef supervisor, SupervisionLog expected) =>
        AwaitAssert(() => Assert.Equal(expected,
            supervisor.Ask<SupervisionLog>(GetSupervisionLog.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult()));
}
