using Akka.Actor;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Measuring;

/// <summary>The operations scenarios measure, as functions of the caller and the operation count.</summary>
internal static class Workloads
{
    public static Func<int, long, CancellationToken, Task> MixedWorkload(IStore store, int size, int keys, string root = "bench")
    {
        var values = Enumerable.Range(0, 4).Select(_ => ByteBuffer.FromMemory(new byte[size])).ToArray();
        return (caller, i, ct) =>
        {
            // Exactly `keys` keys, spread over 100 prefixes; every caller visits all of them (17 is
            // prime to the key counts used), sets on one parity and gets on the other, so gets read
            // what other callers wrote.
            var k = (caller * 31 + i * 17) % keys;
            var key = $"{root}/p{k % 100}/k{k}";
            return i % 2 == 0
                ? store.SetAsync(key, values[i % values.Length], ct)
                : store.GetAsync(key, ct: ct);
        };
    }

    public static Func<long, Task> SequentialWorkload(IStore store)
    {
        var value = ByteBuffer.FromMemory(new byte[KiB]);
        return i => i % 2 == 0 ? store.SetAsync($"latency/p{i % 10}/k{i % 100}", value) : store.GetAsync($"latency/p{i % 10}/k{(i - 1) % 100}");
    }

    public static Func<int, long, CancellationToken, Task> BareAsk(ActorSystem system)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        return (_, i, _) => echo.Ask<object>(i, TimeSpan.FromSeconds(10));
    }

    public static Func<long, Task> BareAskOnce(ActorSystem system)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        return i => echo.Ask<object>(i, TimeSpan.FromSeconds(10));
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
