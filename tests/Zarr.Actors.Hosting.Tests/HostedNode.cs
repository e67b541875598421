using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Zarr.Actors.Hosting.Tests;

/// <summary>A generic host running a node through Akka.Hosting, as an application embedding the store builds it.</summary>
public sealed class HostedNode : IAsyncDisposable
{
    private readonly IHost _host;

    private HostedNode(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public ActorSystem System => Services.GetRequiredService<ActorSystem>();

    public IStore Store => Services.GetRequiredService<IStore>();

    /// <summary>
    /// Starts a node with <paramref name="options"/> (or the <c>ZarrActors</c> section of <paramref name="settings"/>);
    /// it joins <paramref name="seed"/>, itself when none, or nothing when <paramref name="join"/> is false.
    /// </summary>
    public static async Task<HostedNode> StartAsync(ZarrActorsOptions? options = null, IReadOnlyDictionary<string, string?>? settings = null,
        string[]? roles = null, string? seed = null, bool join = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        options ??= builder.Configuration.GetSection(ZarrActorsOptions.SectionName).Get<ZarrActorsOptions>() ?? new ZarrActorsOptions();
        builder.Services.AddHealthChecks();
        builder.Services.AddAkka("hosted", akka =>
        {
            akka.WithZarrActors(options)
                .WithRemoting("127.0.0.1", 0)
                .WithClustering(new ClusterOptions { Roles = roles ?? [], SeedNodes = seed is null ? [] : [seed] })
                .WithActorSystemLivenessCheck(tags: ["live"])
                .WithAkkaClusterReadinessCheck(tags: ["ready"]);
            if (join && seed is null)
            {
                akka.AddStartup((system, _) => AkkaCluster.Get(system).Join(AkkaCluster.Get(system).SelfAddress));
            }
        });
        builder.Services.AddZarrActorsStore();
        var host = builder.Build();
        await host.StartAsync();
        return new HostedNode(host);
    }

    /// <summary>Completes once this node is Up.</summary>
    public Task UpAsync()
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(System).RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public string Address => AkkaCluster.Get(System).SelfAddress.ToString();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
