using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Zarr.Actors.Host;

/// <summary>Builds the Kestrel app that serves a <see cref="Gateway"/>; the node program and the tests share it.</summary>
public static class GatewayHost
{
    /// <summary>An app serving <paramref name="store"/> at <paramref name="url"/> (port 0 picks a free one).</summary>
    public static WebApplication Build(IStore store, GatewayOptions options, string url, Func<HealthReport>? health = null)
    {
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

        var app = builder.Build();
        var gateway = new Gateway(store, options, new GatewayMetrics(), health ?? (() => new HealthReport(true, "in-process", [])));
        app.Run(gateway.HandleAsync);
        return app;
    }

    /// <summary>The address the started app listens on.</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", IPAddress.Loopback.ToString(), StringComparison.Ordinal));
    }
}
