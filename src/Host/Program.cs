using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Zarr.Actors;
using Zarr.Actors.Host;
using Zarr.Actors.Hosting;
using Zarr.Actors.Protocol;

// The node is an ordinary ASP.NET Core app with Akka.Hosting: what it does here is what an application
// embedding the store does (AddAkka ... WithZarrActors, AddZarrActorsStore), plus its command line.
const string SystemName = "zarr-actors";
const string AkkaHost = "127.0.0.1";
var joinTimeout = TimeSpan.FromSeconds(60);

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

var store = new ZarrActorsOptions
{
    DataDirectory = options.InMemory ? string.Empty : Path.GetFullPath(options.DataDirectory),
    ReadOnly = options.ReadOnly ? true : null,
};
var extra = options.ExtraConfig is null ? Config.Empty : ConfigurationFactory.ParseString(options.ExtraConfig);
try
{
    // What would stop the store from starting, checked before anything starts: one line, no stack trace.
    var config = store.ToConfig().WithFallback(extra).WithFallback(NodeConfig.Fallback());
    ZarrActorsSettings.Create(config);
    WireLimits.CheckFrame(config);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: the node did not start: {e.Message.Split('\n')[0]}");
    return 1;
}

// A node never shares its address (see AkkaPortGuard): a port in use is refused before and after start.
if (AkkaPortGuard.FindListener(AkkaHost, options.AkkaPort) is { } taken)
{
    Console.Error.WriteLine($"error: {taken}");
    return 2;
}

var builder = GatewayHost.CreateBuilder(options.HttpUrl);
var storeStarted = false;
builder.Services.AddAkka(SystemName, akka =>
{
    // Weakest first: --config, then the options below, which are prepended over it.
    akka.AddHocon(extra, HoconAddMode.Prepend);
    // Before WithClustering: Akka.Hosting appends defaults in call order, and the store's (hand-off within
    // 10 s, ...) must come before the sharding module's own.
    akka.WithZarrActors(store);
    akka.WithRemoting(AkkaHost, options.AkkaPort);
    akka.WithClustering(new ClusterOptions { SeedNodes = options.Seeds.Select(seed => $"akka.tcp://{SystemName}@{seed}").ToArray() });
    akka.AddStartup((system, _) => storeStarted = true);
    if (options.Seeds.Count == 0)
    {
        akka.AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress));
    }

    akka.WithActorSystemLivenessCheck(tags: ["live"]);
    akka.WithAkkaClusterReadinessCheck(tags: ["ready"]);
});
builder.Services.AddZarrActorsStore();

var app = builder.Build();
GatewayHost.MapGateway(app, new GatewayOptions { Token = options.Token, MaxValueBytes = options.MaxValueBytes },
    () => MembershipReport.Of(Cluster.Get(app.Services.GetRequiredService<ActorSystem>())));
try
{
    await app.StartAsync();
}
catch (Exception e) when (storeStarted && e is IOException)
{
    Console.Error.WriteLine($"error: cannot listen on {options.HttpUrl}: {e.Message.Split('\n')[0]}");
    await StopAsync(app);
    return 1;
}
catch (Exception e) when (AkkaPortGuard.IsAddressInUse(e))
{
    Console.Error.WriteLine($"error: {AkkaPortGuard.InUse(AkkaHost, options.AkkaPort)}");
    await StopAsync(app);
    return 2;
}
catch (Exception e)
{
    // Whatever stopped the actor system or the store from starting (a busy port, a directory it cannot use).
    while (e is AggregateException { InnerExceptions.Count: 1 } single)
    {
        e = single.InnerExceptions[0];
    }

    Console.Error.WriteLine($"error: the node did not start: {e.Message.Split('\n')[0]}");
    await StopAsync(app);
    return 1;
}

var system = app.Services.GetRequiredService<ActorSystem>();
var cluster = Cluster.Get(system);
try
{
    // Listening is announced once the node is a member and the store answers, as it always was.
    var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    cluster.RegisterOnMemberUp(() => up.TrySetResult());
    try
    {
        await up.Task.WaitAsync(joinTimeout);
    }
    catch (TimeoutException)
    {
        throw new StoreUnavailableException(
            $"the node at {cluster.SelfAddress} did not join the cluster (seeds: {(options.Seeds.Count == 0 ? "itself" : string.Join(", ", options.Seeds))}) within {joinTimeout.TotalSeconds:0} s");
    }

    // Not a request to an owner: another process may hold the root prefix's lease, and this node must
    // still start, to answer "unavailable" for the prefixes it cannot own.
    await app.Services.GetRequiredService<ActorStore>().WaitUntilServingAsync(joinTimeout);
}
catch (StoreUnavailableException e)
{
    Console.Error.WriteLine($"error: the node did not start: {e.Message.Split('\n')[0]}");
    await StopAsync(app);
    return 1;
}

if (AkkaPortGuard.FindSharer(AkkaHost, cluster.SelfAddress.Port ?? 0) is { } shared)
{
    Console.Error.WriteLine($"error: {shared}");
    await StopAsync(app);
    return 2;
}

var storage = options.InMemory ? "memory" : Path.GetFullPath(options.DataDirectory);
Console.WriteLine($"Zarr.Actors node listening on {GatewayHost.BaseAddress(app).ToString().TrimEnd('/')} " +
                  $"(cluster {cluster.SelfAddress}, data: {storage}{(options.ReadOnly ? ", read-only" : string.Empty)}{(options.Token is null ? string.Empty : ", token required")})");

// Ctrl-C and SIGTERM stop the web server, then Akka.Hosting's service: the node leaves the cluster, handing its shards off.
await app.WaitForShutdownAsync();
await app.DisposeAsync();
Console.WriteLine("Zarr.Actors node stopped.");
return 0;

static async Task StopAsync(WebApplication app)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
    try
    {
        await app.StopAsync(timeout.Token);
    }
    catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
    {
        // Nothing more to stop: the node is exiting with an error already reported.
    }

    await app.DisposeAsync();
}
