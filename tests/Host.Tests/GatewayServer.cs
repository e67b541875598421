using Microsoft.AspNetCore.Builder;
using Zarr.Actors.Host;

namespace Zarr.Actors.Host.Tests;

/// <summary>A gateway on Kestrel at a free loopback port, over the given store.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, IStore store)
    {
        _app = app;
        Store = store;
        BaseAddress = GatewayHost.BaseAddress(app);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public IStore Store { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static async Task<GatewayServer> StartAsync(IStore store, GatewayOptions? options = null)
    {
        var app = GatewayHost.Build(store, options ?? new GatewayOptions(), "http://127.0.0.1:0");
        await app.StartAsync();
        return new GatewayServer(app, store);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
