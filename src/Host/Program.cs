using Akka.Cluster;
using Zarr.Actors;
using Zarr.Actors.Host;

var (options, error) = CommandLine.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

if (options.BenchArguments is not null)
{
    // The bench is a program of its own, so the node's program carries no measuring code.
    Console.Error.WriteLine($"error: the bench moved: run it with {CommandLine.BenchCommand}");
    return 2;
}

var nodeOptions = new StoreNodeOptions
{
    DataDirectory = options.InMemory ? null : Path.GetFullPath(options.DataDirectory),
    Port = options.AkkaPort,
    SeedNodes = options.Seeds,
    ReadOnly = options.ReadOnly,
    ExtraConfig = options.ExtraConfig,
};

// A node never shares its address (see AkkaPortGuard): a port in use is refused before and after start.
if (AkkaPortGuard.FindListener(nodeOptions.Hostname, nodeOptions.Port) is { } taken)
{
    Console.Error.WriteLine($"error: {taken}");
    return 2;
}

StoreNode node;
try
{
    node = await StoreNode.StartAsync(nodeOptions);
}
catch (Exception e) when (AkkaPortGuard.IsAddressInUse(e))
{
    Console.Error.WriteLine($"error: {AkkaPortGuard.InUse(nodeOptions.Hostname, nodeOptions.Port)}");
    return 2;
}
catch (Exception e) when (e is StoreUnavailableException or ArgumentException or IOException or UnauthorizedAccessException
                              or Akka.Remote.Transport.InvalidAssociationException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"error: the node did not start: {e.Message.Split('\n')[0]}");
    return 1;
}

await using (node)
{
    if (AkkaPortGuard.FindSharer(nodeOptions.Hostname, node.Address.Port ?? 0) is { } shared)
    {
        Console.Error.WriteLine($"error: {shared}");
        return 2;
    }

    var cluster = Cluster.Get(node.System);
    HealthReport Health()
    {
        var state = cluster.State;
        var self = state.Members.FirstOrDefault(m => m.Address == cluster.SelfAddress);
        return new HealthReport(
            self?.Status == MemberStatus.Up && !state.Unreachable.Any(m => m.Address == cluster.SelfAddress),
            cluster.SelfAddress.ToString(),
            state.Members.Select(m => new MemberReport(m.Address.ToString(), state.Unreachable.Contains(m) ? "Unreachable" : m.Status.ToString())).ToList());
    }

    var app = GatewayHost.Build(node.Store, new GatewayOptions { Token = options.Token, MaxValueBytes = options.MaxValueBytes },
        options.HttpUrl, Health);
    try
    {
        await app.StartAsync();
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"error: cannot listen on {options.HttpUrl}: {e.Message.Split('\n')[0]}");
        return 1;
    }

    var storage = options.InMemory ? "memory" : Path.GetFullPath(options.DataDirectory);
    Console.WriteLine($"Zarr.Actors node listening on {GatewayHost.BaseAddress(app).ToString().TrimEnd('/')} " +
                      $"(cluster {node.Address}, data: {storage}{(options.ReadOnly ? ", read-only" : string.Empty)}{(options.Token is null ? string.Empty : ", token required")})");

    // Ctrl-C and SIGTERM stop the web host; the node then leaves the cluster, handing its shards off.
    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
}

Console.WriteLine("Zarr.Actors node stopped.");
return 0;
