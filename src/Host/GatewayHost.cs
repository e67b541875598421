using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Zarr.Actors.Telemetry;

namespace Zarr.Actors.Host;

/// <summary>
/// The web side of a node, shared by the node program, the tests and the bench: Kestrel with the gateway's
/// limits, health-check routes, and OpenTelemetry (Prometheus text at <c>/__metrics</c>; OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).
/// </summary>
public static class GatewayHost
{
    /// <summary>The variable that, when set, makes the node export metrics and traces over OTLP (the SDK reads its value).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>A builder for an app that listens at <paramref name="url"/> (port 0 picks a free one); the store comes from its services.</summary>
    public static WebApplicationBuilder CreateBuilder(string url, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The gateway counts body bytes itself, so an oversized value gets a 413 it can explain.
            kestrel.Limits.MaxRequestBodySize = null;
            RequestLimits.Configure(kestrel.Limits);
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHealthChecks();

        var otlp = !string.IsNullOrWhiteSpace(environment(OtlpEndpointVariable));
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            // The store's own meter, ASP.NET Core's and the runtime's (both built into .NET: no instrumentation package).
            metrics.AddMeter(StoreTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime");
            metrics.AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            // Traces only go somewhere over OTLP; without a listener the store starts no activities at all.
            telemetry.WithTracing(tracing => tracing.AddSource(StoreTelemetry.Name).AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// Puts the gateway over the app's <see cref="IStore"/> in front of everything, and maps what it hands on:
    /// <c>/__health/live</c> (checks tagged <c>live</c>), <c>/__health/ready</c> (tagged <c>ready</c>) and <c>/__metrics</c>.
    /// </summary>
    public static void MapGateway(WebApplication app, GatewayOptions options, Func<HealthReport> health)
    {
        // Resolved at the first request: an Akka-hosted store exists only once the host has started.
        var gateway = new Lazy<Gateway>(() => new Gateway(app.Services.GetRequiredService<IStore>(), options, health));
        app.Use((context, next) => gateway.Value.HandleAsync(context, next));
        app.MapHealthChecks("/__health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/__health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/__metrics");
    }

    /// <summary>An app serving <paramref name="store"/> (already running, in this process) at <paramref name="url"/>.</summary>
    public static WebApplication Build(IStore store, GatewayOptions options, string url, Func<HealthReport>? health = null)
    {
        var builder = CreateBuilder(url);
        builder.Services.AddSingleton(store);
        var app = builder.Build();
        MapGateway(app, options, health ?? (() => new HealthReport(true, "in-process", [])));
        return app;
    }

    /// <summary>The address the started app listens on.</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", IPAddress.Loopback.ToString(), StringComparison.Ordinal));
    }
}
