using System.Diagnostics;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// One history run: a cluster of three host processes on one data directory, clients recording
/// every operation, the nemesis, a final read of every key through every node, and the checker.
/// </summary>
public static class HistoryRun
{
    public static async Task<HistoryReport> ExecuteAsync(HistorySettings settings)
    {
        var clock = Stopwatch.StartNew();
        var history = new RunHistory();
        await using var cluster = HostCluster.Create(3, settings.Seeds, settings.ConfigFile);
        history.Note($"cluster: data {cluster.DataDirectory}, seeds {string.Join(' ', cluster.Seeds)} ({settings.Seeds.ToString().ToLowerInvariant()} layout)");
        await cluster.StartAsync(history, TimeSpan.FromSeconds(90));
        history.Note("every node sees three members Up; clients start");

        var clients = Enumerable.Range(1, settings.Clients).Select(i => new RegisterClient(i, cluster, history, settings)).ToList();
        using var stop = new CancellationTokenSource();
        var running = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToList();
        var nemesis = new Nemesis(cluster, history, settings);
        await nemesis.RunAsync();
        await stop.CancelAsync();
        await Task.WhenAll(running);
        history.Note("clients stopped");

        await nemesis.HealAsync();
        await ReadEverythingAsync(cluster, history, settings, clients[0]);
        history.Note("final reads done");

        var verdicts = LinearizabilityChecker.Check(history.Operations);
        return new HistoryReport(settings, history.Operations, history.Timeline, history.Problems, nemesis.Applied, verdicts, clock.Elapsed);
    }

    /// <summary>Reads every key through every node once the cluster is quiet: an acknowledged write that one node lost shows here.</summary>
    private static async Task ReadEverythingAsync(HostCluster cluster, RunHistory history, HistorySettings settings, RegisterClient reader)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var unanswered = new HashSet<string>();
        foreach (var key in settings.Keys)
        {
            foreach (var node in cluster.Nodes)
            {
                while ((await reader.ExecuteAsync(node, key, OperationKind.Read)).Outcome == OperationOutcome.Indeterminate)
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        unanswered.Add(node.Name);
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }
        }

        if (unanswered.Count > 0)
        {
            history.Problem($"final reads through {string.Join(", ", unanswered.Order())} got no answer within 60 s");
        }
    }
}
