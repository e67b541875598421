using System.Diagnostics;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// Injects the configured faults into a <see cref="HostCluster"/> one at a time, in order and then
/// round again until the run's time is up, healing the cluster after each (restarting nodes exactly
/// with their command lines). What it did goes to the run's timeline; what went wrong beyond the
/// history (a node that would not come back, a clashing node that did not exit 2) to its problems.
/// </summary>
public sealed class Nemesis(HostCluster cluster, RunHistory history, HistorySettings settings)
{
    private readonly Random _random = new(settings.RandomSeed);
    private readonly Dictionary<Fault, int> _applied = [];

    /// <summary>How many times each fault was applied.</summary>
    public IReadOnlyDictionary<Fault, int> Applied => _applied;

    /// <summary>False once the cluster failed to heal even after its broken nodes were restarted: further faults would prove nothing.</summary>
    public bool Healthy { get; private set; } = true;

    /// <summary>Applies faults until <see cref="HistorySettings.Duration"/> has passed and each fault ran once, healing the cluster after each.</summary>
    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Gap);
        for (var round = 0; Healthy && settings.Faults.Count > 0 && (clock.Elapsed < settings.Duration || round < settings.Faults.Count); round++)
        {
            var fault = settings.Faults[round % settings.Faults.Count];
            _applied[fault] = _applied.GetValueOrDefault(fault) + 1;
            await ApplyAsync(fault);
            await HealAsync();
            await Task.Delay(settings.Gap);
        }

        var rest = settings.Duration - clock.Elapsed;
        if (Healthy && rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }
    }

    /// <summary>
    /// Restarts nodes that are not running and waits until every node sees every node Up. If that does
    /// not happen in time (a problem: a cluster of nodes that all run should heal by itself), it acts
    /// as a process supervisor would: every node that does not see every node Up is killed and
    /// restarted once. Still not healed: no further faults, which would prove nothing.
    /// </summary>
    public async Task HealAsync()
    {
        foreach (var node in cluster.Nodes.Where(n => !n.Running))
        {
            await RestartAsync(node, "(it was not running)");
        }

        if (await cluster.AwaitHealthyAsync(settings.HealTimeout))
        {
            history.Note("healed: every node sees every node Up");
            return;
        }

        history.Problem($"the cluster did not heal by itself within {settings.HealTimeout.TotalSeconds:0} s:\n{await cluster.DescribeAsync()}");
        foreach (var node in cluster.Nodes)
        {
            var health = await node.HealthAsync();
            if (!health.Healthy || health.UpMembers != cluster.Nodes.Count || health.Members != cluster.Nodes.Count)
            {
                node.Serving = false;
                await node.KillAsync();
                await RestartAsync(node, $"by the supervisor (it saw {health.UpMembers} of {health.Members} members Up, healthy: {health.Healthy})");
            }
        }

        if (await cluster.AwaitHealthyAsync(settings.HealTimeout))
        {
            history.Note("healed after restarts");
            return;
        }

        Healthy = false;
        history.Problem($"the cluster did not heal even after its broken nodes were restarted:\n{await cluster.DescribeAsync()}");
    }

    private async Task ApplyAsync(Fault fault)
    {
        var target = fault == Fault.SeedRestart ? cluster.Nodes[0] : cluster.Nodes[_random.Next(cluster.Nodes.Count)];
        switch (fault)
        {
            case Fault.Kill:
                target.Serving = false;
                await target.KillAsync();
                history.Note($"kill -KILL {target.Name}; down for {settings.Downtime.TotalSeconds:0} s");
                await Task.Delay(settings.Downtime);
                await RestartAsync(target, "after SIGKILL");
                break;
            case Fault.SeedRestart:
                target.Serving = false;
                await target.KillAsync();
                history.Note($"kill -KILL {target.Name} (the first seed), restarted at once with its command");
                await RestartAsync(target, "after SIGKILL");
                break;
            case Fault.Term:
                target.Serving = false;
                history.Note($"kill -TERM {target.Name}");
                var code = await target.TerminateAsync(TimeSpan.FromSeconds(30));
                if (code != 0)
                {
                    history.Problem($"{target.Name} answered SIGTERM with {(code is null ? "no exit within 30 s" : $"exit code {code}")}");
                }

                await RestartAsync(target, $"after SIGTERM (exit {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
                break;
            case Fault.Pause:
                await PauseAsync(target);
                break;
            case Fault.PortClash:
                await ClashAsync(target);
                break;
        }
    }

    private async Task PauseAsync(ClusterNode target)
    {
        target.Serving = false;
        await target.PauseAsync();
        history.Note($"kill -STOP {target.Name} for {settings.PauseLength.TotalSeconds:0} s");
        await Task.Delay(settings.PauseLength);
        await target.ResumeAsync();
        // Clients use it again at once: a node that was removed while stopped must not serve stale state.
        target.Serving = true;
        history.Note($"kill -CONT {target.Name}");

        // Removed from the cluster while stopped, it cannot rejoin as it is: it exits (or should), and an operator restarts it.
        var deadline = DateTime.UtcNow + settings.ResumeTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!target.Running)
            {
                target.Serving = false;
                await RestartAsync(target, "after it exited once resumed");
                return;
            }

            if (await cluster.AwaitHealthyAsync(TimeSpan.Zero))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        target.Serving = false;
        history.Note($"{target.Name} neither rejoined nor exited within {settings.ResumeTimeout.TotalSeconds:0} s of SIGCONT: killed, to be restarted");
        await target.KillAsync();
        await RestartAsync(target, "after it stayed out of the cluster");
    }

    private async Task ClashAsync(ClusterNode target)
    {
        var args = cluster.IntruderArguments(target.AkkaPort);
        history.Note($"a fourth node on {target.Name}'s Akka port {target.AkkaPort}, same data directory");
        using var intruder = HostProcess.Launch(args);
        var stdout = intruder.StandardOutput.ReadToEndAsync();
        var stderr = intruder.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await intruder.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            intruder.Kill(entireProcessTree: true);
            await intruder.WaitForExitAsync();
            history.Problem($"the node started on {target.Name}'s Akka port {target.AkkaPort} did not exit within 30 s (killed); it printed: {Head(await stdout)} {Head(await stderr)}");
            return;
        }

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        history.Note($"the fourth node exited {intruder.ExitCode}: {Head(await stderr)}");
        if (intruder.ExitCode != 2 || lines.Length != 1)
        {
            history.Problem($"the node started on {target.Name}'s Akka port {target.AkkaPort} exited {intruder.ExitCode} with {lines.Length} lines on stderr, not 2 with one line: {Head(await stderr)} {Head(await stdout)}");
        }
    }

    private async Task RestartAsync(ClusterNode node, string why)
    {
        try
        {
            await node.StartAsync(history);
            history.Note($"{node.Name} restarted {why}");
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            history.Problem($"{node.Name} could not be restarted {why}: {e.Message.Split('\n')[0]}");
        }

        node.Serving = true;
    }

    private static string Head(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "...";
}
