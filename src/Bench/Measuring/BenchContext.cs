using System.Diagnostics;

namespace Zarr.Actors.Bench.Measuring;

/// <summary>The measuring shared by every scenario: warm-up, alternating rounds, throughput and latency.</summary>
internal sealed class BenchContext(BenchSettings settings)
{
    public BenchSettings Settings { get; } = settings;

    public int Keys => Settings.Keys;

    /// <summary>small-inproc's median, the yardstick of later scenarios.</summary>
    public double? SmallInProcess { get; set; }

    /// <summary>Operations per second of <paramref name="callers"/> looping on <paramref name="operation"/>.</summary>
    public async Task<Figure> ThroughputAsync(string name, string unit, Func<int, long, CancellationToken, Task> operation, int callers = 64, double scale = 1.0) =>
        (await CompareThroughputAsync([(name, operation)], unit, callers, scale))[0];

    /// <summary>
    /// Operations per second of each workload, measured side by side: every workload is warmed up
    /// first (so none is measured while the JIT still tiers up the code they share), then the
    /// rounds alternate between them, so a noisy stretch of the machine hits them all alike.
    /// </summary>
    public async Task<List<Figure>> CompareThroughputAsync(IReadOnlyList<(string Name, Func<int, long, CancellationToken, Task> Operation)> workloads,
        string unit, int callers = 64, double scale = 1.0)
    {
        foreach (var (_, operation) in workloads)
        {
            await WarmUpAsync(callers, operation);
        }

        var rounds = workloads.Select(_ => new List<double>()).ToList();
        for (var round = 0; round < Settings.Rounds; round++)
        {
            for (var w = 0; w < workloads.Count; w++)
            {
                var (operations, seconds) = await RunForAsync(Settings.Round, callers, workloads[w].Operation);
                rounds[w].Add(operations / seconds * scale);
            }
        }

        return workloads.Select((workload, w) => Figure.Of(workload.Name, unit, rounds[w])).ToList();
    }

    /// <summary>
    /// Runs <paramref name="operation"/> in rounds of <see cref="BenchSettings.WarmUp"/> until it stops getting
    /// faster: two rounds in a row no more than 5% above the best before them (at most
    /// <see cref="BenchSettings.MaxWarmUpRounds"/> rounds). On 2 busy cores the JIT's background tier-up is
    /// starved, so code can run unoptimized for many seconds: most of all the remoting path of the
    /// cluster scenario, measured 3x slower after a fixed 3 s warm-up than with tiering off.
    /// </summary>
    private async Task WarmUpAsync(int callers, Func<int, long, CancellationToken, Task> operation)
    {
        var best = 0.0;
        var stale = 0;
        for (var round = 0; round < Settings.MaxWarmUpRounds && stale < 2; round++)
        {
            var (operations, seconds) = await RunForAsync(Settings.WarmUp, callers, operation);
            var rate = operations / seconds;
            if (rate > best * 1.05)
            {
                best = rate;
                stale = 0;
            }
            else
            {
                stale++;
            }
        }
    }

    /// <summary>
    /// Median and p99 of one caller's sequential operations, in microseconds, for each workload:
    /// all warmed up first, then rounds alternating between them (as <see cref="CompareThroughputAsync"/>).
    /// </summary>
    public async Task<List<Figure>> CompareLatencyAsync(IReadOnlyList<(string Name, Func<long, Task> Operation)> workloads)
    {
        foreach (var (_, operation) in workloads)
        {
            for (var i = 0; i < Settings.LatencySamples / 4; i++)
            {
                await operation(i);
            }
        }

        var medians = workloads.Select(_ => new List<double>()).ToList();
        var p99s = workloads.Select(_ => new List<double>()).ToList();
        var samples = new double[Settings.LatencySamples];
        for (var round = 0; round < Settings.Rounds; round++)
        {
            for (var w = 0; w < workloads.Count; w++)
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await workloads[w].Operation(i);
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }

                Array.Sort(samples);
                medians[w].Add(samples[samples.Length / 2]);
                p99s[w].Add(samples[(int)(samples.Length * 0.99)]);
            }
        }

        return workloads
            .SelectMany((workload, w) => new[] { Figure.Of(workload.Name + ", median", "µs", medians[w]), Figure.Of(workload.Name + ", p99", "µs", p99s[w]) })
            .ToList();
    }

    private static async Task<(long Operations, double Seconds)> RunForAsync(TimeSpan duration, int callers, Func<int, long, CancellationToken, Task> operation)
    {
        long total = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            long done = 0;

            // A deadline each worker reads itself: a synchronous store (MemoryStore) never yields,
            // and would starve the timer a cancellation token needs. The yield every 64 operations
            // lets the actor system's own work (heartbeats, the scheduler) run on a 2-core machine.
            while (watch.Elapsed < duration)
            {
                await operation(caller, done, CancellationToken.None);
                if (++done % 64 == 0)
                {
                    await Task.Yield();
                }
            }

            Interlocked.Add(ref total, done);
        })).ToArray();
        await Task.WhenAll(workers);
        return (total, watch.Elapsed.TotalSeconds);
    }

    /// <summary>How many seconds <paramref name="work"/> took.</summary>
    public static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }
}
