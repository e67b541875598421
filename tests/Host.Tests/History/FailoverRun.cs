using System.Collections.Concurrent;
using System.Net;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// Measures failover as a user sees it: three host processes on one data directory, a writer per
/// prefix writing new keys through the nodes that stay up, and SIGKILL of one node at a time. A
/// prefix stalled by a kill fails (timeouts, 503) until its owner runs again elsewhere; its failover
/// time is its first successful write after that minus the moment of the kill. Every acknowledged
/// write must be readable at the end.
/// </summary>
public static class FailoverRun
{
    /// <summary>How long a writer waits for one write; short, so that a stalled prefix is retried often.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long every prefix may take to take writes again after a kill before the run fails.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(90);

    public static async Task<FailoverReport> ExecuteAsync(int kills, int prefixes, string? configFile)
    {
        var history = new RunHistory();
        await using var cluster = HostCluster.Create(3, SeedLayout.All, configFile);
        await cluster.StartAsync(history, TimeSpan.FromSeconds(90));
        history.Note($"cluster up: {string.Join(' ', cluster.Seeds)}, config {configFile ?? "shipped defaults"}");

        var attempts = new ConcurrentQueue<Attempt>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, prefixes).Select(p => Task.Run(() => WriteAsync(p, cluster, history, attempts, acknowledged, stop.Token))).ToList();

        var measured = new List<KillMeasurement>();
        for (var k = 0; k < kills; k++)
        {
            // Steady state first: every prefix answered since the cluster last healed.
            var since = history.Now;
            await AwaitAsync(() => Enumerable.Range(0, prefixes).All(p => attempts.Any(a => a.Prefix == p && a.Succeeded && a.Invoked >= since)), TimeSpan.FromSeconds(60));
            var victim = cluster.Nodes[k % cluster.Nodes.Count];
            // Writers leave the victim's gateway first, so that only its owners' prefixes stall.
            victim.Serving = false;
            await Task.Delay(TimeSpan.FromSeconds(1));
            var killedAt = history.Now;
            await victim.KillAsync();
            history.Note($"kill -KILL {victim.Name}");
            var recovered = await AwaitAsync(() => Enumerable.Range(0, prefixes).All(p => attempts.Any(a => a.Prefix == p && a.Succeeded && a.Invoked > killedAt)), RecoveryLimit);
            if (!recovered)
            {
                history.Problem($"after the kill of {victim.Name}, some prefixes took no write within {RecoveryLimit.TotalSeconds:0} s");
            }

            measured.Add(Measure(victim.Name, killedAt, prefixes, attempts.ToArray()));
            history.Note(measured[^1].ToString());
            if (k + 1 < kills)
            {
                await victim.StartAsync(history);
                victim.Serving = true;
                if (!await cluster.AwaitHealthyAsync(TimeSpan.FromSeconds(60)))
                {
                    history.Problem($"{victim.Name} did not rejoin within 60 s of its restart");
                    break;
                }
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await VerifyAsync(cluster, history, acknowledged);
        return new FailoverReport(measured, acknowledged.Count, history.Timeline, history.Problems, configFile);
    }

    private static async Task WriteAsync(int prefix, HostCluster cluster, RunHistory history, ConcurrentQueue<Attempt> attempts,
        ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        var random = new Random(prefix);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            if (cluster.PickServing(random) is not { } node)
            {
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            var key = $"failover/p{prefix}/w{n}";
            var invoked = history.Now;
            var ok = false;
            try
            {
                using var timeout = new CancellationTokenSource(AttemptTimeout);
                using var response = await node.Client.PutAsync("/" + key, new StringContent(key), timeout.Token);
                ok = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }

            attempts.Enqueue(new Attempt(prefix, invoked, history.Now, ok));
            if (ok)
            {
                acknowledged[key] = node.Name;
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>For each prefix whose writes failed after the kill: its first success after the first failure, minus the kill.</summary>
    private static KillMeasurement Measure(string victim, TimeSpan killedAt, int prefixes, Attempt[] attempts)
    {
        var failovers = new List<TimeSpan>();
        for (var p = 0; p < prefixes; p++)
        {
            var after = attempts.Where(a => a.Prefix == p && a.Completed > killedAt).OrderBy(a => a.Invoked).ToList();
            var firstFailure = after.FindIndex(a => !a.Succeeded);
            var firstSuccess = after.FindIndex(a => a.Succeeded && a.Invoked > killedAt);
            if (firstFailure >= 0 && (firstSuccess < 0 || firstFailure < firstSuccess))
            {
                var back = after.Skip(firstFailure).FirstOrDefault(a => a.Succeeded);
                if (back is not null)
                {
                    failovers.Add(back.Completed - killedAt);
                }
            }
        }

        return new KillMeasurement(victim, failovers.Order().ToList(), prefixes);
    }

    /// <summary>Reads every acknowledged key back; an unavailable answer (503, timeout) is asked again, up to 90 s in all.</summary>
    private static async Task VerifyAsync(HostCluster cluster, RunHistory history, ConcurrentDictionary<string, string> acknowledged)
    {
        var readers = cluster.Nodes.Where(n => n.Running).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var lost = new List<string>();
        var unanswered = new List<string>();
        var i = 0;
        foreach (var key in acknowledged.Keys.Order(StringComparer.Ordinal))
        {
            while (true)
            {
                var node = readers[i++ % readers.Count];
                var (status, body) = await ReadAsync(node, key);
                if (status == HttpStatusCode.OK && body == key)
                {
                    break;
                }

                if (status is not (HttpStatusCode.ServiceUnavailable or null))
                {
                    lost.Add($"{key} via {node.Name}: {(int)status} {body}");
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    unanswered.Add($"{key} via {node.Name}");
                    break;
                }
            }
        }

        if (lost.Count > 0)
        {
            history.Problem($"{lost.Count} acknowledged writes read back wrong: {string.Join("; ", lost.Take(10))}");
        }

        if (unanswered.Count > 0)
        {
            history.Problem($"{unanswered.Count} acknowledged writes could not be read back within 90 s: {string.Join("; ", unanswered.Take(10))}");
        }
    }

    /// <summary>A GET with a 10 s timeout: the status and body, or a null status when no answer came.</summary>
    private static async Task<(HttpStatusCode? Status, string Body)> ReadAsync(ClusterNode node, string key)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await node.Client.GetAsync("/" + key, timeout.Token);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return (null, e.GetType().Name);
        }
    }

    private static async Task<bool> AwaitAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private sealed record Attempt(int Prefix, TimeSpan Invoked, TimeSpan Completed, bool Succeeded);
}
