using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>Host processes on one data directory, with fixed ports chosen up front so that any node can be restarted with the same command.</summary>
public sealed class HostCluster : IAsyncDisposable
{
    private readonly DirectoryInfo _data;
    private readonly IReadOnlyList<string> _laterSeeds;
    private readonly string? _configFile;

    private HostCluster(DirectoryInfo data, IReadOnlyList<ClusterNode> nodes, IReadOnlyList<string> seeds, IReadOnlyList<string> laterSeeds, string? configFile)
    {
        _data = data;
        Nodes = nodes;
        Seeds = seeds;
        _laterSeeds = laterSeeds;
        _configFile = configFile;
    }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    /// <summary>Every node's Akka address, host:port, the first seed first.</summary>
    public IReadOnlyList<string> Seeds { get; }

    public string DataDirectory => _data.FullName;

    /// <summary>Chooses ports and a data directory for <paramref name="size"/> nodes named a, b, c, ...; starts nothing.</summary>
    public static HostCluster Create(int size, SeedLayout layout, string? configFile)
    {
        var data = Directory.CreateTempSubdirectory("zarr-history-");
        var ports = FreePorts(2 * size);
        var seeds = Enumerable.Range(0, size).Select(i => $"127.0.0.1:{ports[2 * i + 1]}").ToList();
        IReadOnlyList<string> laterSeeds = layout == SeedLayout.All ? seeds : [seeds[0]];
        var nodes = Enumerable.Range(0, size).Select(i => new ClusterNode(
            ((char)('a' + i)).ToString(), ports[2 * i], ports[2 * i + 1],
            CommandLine(ports[2 * i], ports[2 * i + 1], i == 0 && layout == SeedLayout.First ? [seeds[0]] : laterSeeds, data.FullName, configFile))).ToList();
        return new HostCluster(data, nodes, seeds, laterSeeds, configFile);
    }

    /// <summary>The command line of a node that is not part of the cluster: a free HTTP port, the Akka port given, the seeds and data of the others.</summary>
    public IReadOnlyList<string> IntruderArguments(int akkaPort) =>
        CommandLine(FreePorts(1)[0], akkaPort, _laterSeeds, DataDirectory, _configFile);

    /// <summary>Starts every node at once and waits until each sees all of them Up.</summary>
    public async Task StartAsync(RunHistory history, TimeSpan within)
    {
        await Task.WhenAll(Nodes.Select(node => node.StartAsync(history)));
        if (!await AwaitHealthyAsync(within))
        {
            throw new InvalidOperationException($"the cluster did not form within {within.TotalSeconds:0} s:\n{await DescribeAsync()}");
        }

        foreach (var node in Nodes)
        {
            node.Serving = true;
        }
    }

    /// <summary>Waits until every node answers <c>/__health</c> 200 and sees every node Up; false after <paramref name="within"/>.</summary>
    public async Task<bool> AwaitHealthyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var healths = await Task.WhenAll(Nodes.Select(node => node.HealthAsync()));
            if (healths.All(h => h.Healthy && h.UpMembers == Nodes.Count && h.Members == Nodes.Count))
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Each node's health and last output lines, for a failure message.</summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string>();
        foreach (var node in Nodes)
        {
            var health = await node.HealthAsync();
            lines.Add($"node {node.Name} (running: {node.Running}): {health.Text}");
            lines.AddRange(node.RecentOutput().Split('\n').Where(l => l.Length > 0).TakeLast(5).Select(l => "    " + (l.Length > 240 ? l[..240] + "..." : l)));
        }

        return string.Join('\n', lines);
    }

    /// <summary>A node that clients may use now, at random; null when none is serving.</summary>
    public ClusterNode? PickServing(Random random)
    {
        var serving = Nodes.Where(n => n.Serving).ToList();
        return serving.Count == 0 ? null : serving[random.Next(serving.Count)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        _data.Delete(recursive: true);
    }

    /// <summary>A node's command line, as the README writes it.</summary>
    private static List<string> CommandLine(int httpPort, int akkaPort, IReadOnlyList<string> seeds, string data, string? configFile)
    {
        List<string> args =
        [
            "--http", $"127.0.0.1:{httpPort}",
            "--port", akkaPort.ToString(CultureInfo.InvariantCulture),
            .. seeds.SelectMany(seed => new[] { "--seed", seed }),
            "--data", data,
        ];
        if (configFile is not null)
        {
            args.AddRange(["--config", configFile]);
        }

        return args;
    }

    /// <summary>Ports that were free a moment ago, all different (each held open until all are chosen).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
