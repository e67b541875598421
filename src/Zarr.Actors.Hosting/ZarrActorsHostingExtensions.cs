using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Zarr.Actors.Hosting;

/// <summary>Zarr.Actors for Akka.Hosting: <c>services.AddAkka(..., akka => akka.WithZarrActors(options))</c>.</summary>
public static class ZarrActorsHostingExtensions
{
    /// <summary>The name of the store's health check (tagged <see cref="HealthTags"/>).</summary>
    public const string HealthCheckName = "zarr-actors";

    /// <summary>The tags of the store's health check: filter on <c>ready</c> for a readiness endpoint.</summary>
    public static readonly IReadOnlyList<string> HealthTags = ["zarr-actors", "ready"];

    /// <summary>
    /// Adds the store to the actor system this builder configures: <paramref name="options"/> over
    /// <c>hocon/zarr-actors.conf</c> and the sharding, singleton and distributed-data defaults (the
    /// application's own HOCON stays stronger than the defaults, weaker than the options), the store's
    /// serializers, and, once the system runs, the shard region of the prefix owners (a proxy on a node
    /// without <see cref="ZarrActorsOptions.Role"/>) and the <see cref="ActorStore"/> over it, which
    /// <see cref="AddZarrActorsStore"/> hands out as <see cref="IStore"/>. Needs <c>WithClustering</c>.
    /// Also registers a health check (<see cref="HealthCheckName"/>): the store answers a request.
    /// </summary>
    public static AkkaConfigurationBuilder WithZarrActors(this AkkaConfigurationBuilder builder, ZarrActorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var fromOptions = (options ?? new ZarrActorsOptions()).ToConfig();
        builder.AddHocon(fromOptions, HoconAddMode.Prepend);
        builder.AddHocon(NodeConfig.Fallback(), HoconAddMode.Append);
        builder.AddStartup(async (system, _) =>
        {
            var hosted = HostedStore.Get(system);
            try
            {
                hosted.Set(await ActorStore.StartAsync(system).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                hosted.Fail(e);
                throw;
            }
        });
        builder.WithHealthCheck(HealthCheckName, CheckStoreAsync, HealthStatus.Unhealthy, HealthTags, TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>
    /// Registers the store that <see cref="WithZarrActors"/> starts as <see cref="IStore"/> and <see cref="ActorStore"/>
    /// (singletons, available once the host has started). A separate call because Akka.Hosting runs the
    /// <c>With*</c> methods only when it creates the actor system, after the service collection is built.
    /// </summary>
    public static IServiceCollection AddZarrActorsStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider => HostedStore.Get(provider.GetRequiredService<ActorSystem>()).Store);
        services.AddSingleton<IStore>(provider => provider.GetRequiredService<ActorStore>());
        return services;
    }

    /// <summary>Healthy once the store has started and the owner of the root prefix answers.</summary>
    private static async Task<HealthCheckResult> CheckStoreAsync(ActorSystem system, ActorRegistry registry, CancellationToken ct)
    {
        var started = HostedStore.Get(system).Started;
        if (!started.IsCompletedSuccessfully)
        {
            return HealthCheckResult.Unhealthy(started.IsFaulted ? "the store did not start" : "the store has not started yet", started.Exception?.GetBaseException());
        }

        try
        {
            await started.Result.IsEmptyAsync(string.Empty, ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy("the store answers");
        }
        catch (StoreUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
    }
}
