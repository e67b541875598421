using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Zarr.Actors.Bench.Measuring;
using Zarr.Actors.Host;
using Zarr.Buffers;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>http-large and http-small: the gateway under load, beside Kestrel serving one byte array.</summary>
internal static class Http
{
    public static async Task<List<Figure>> RunAsync(BenchContext context, int size, int connections, bool puts)
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 64; i++)
        {
            await node.Store.SetAsync($"http/p{i % 8}/k{i}", ByteBuffer.FromMemory(payload));
        }

        var gateway = GatewayHost.Build(node.Store, new GatewayOptions(), "http://127.0.0.1:0");
        var ceiling = WebApplication.CreateSlimBuilder();
        ceiling.Logging.ClearProviders();
        ceiling.WebHost.UseUrls("http://127.0.0.1:0");
        var ceilingApp = ceiling.Build();
        ceilingApp.Run(async http =>
        {
            if (HttpMethods.IsPut(http.Request.Method))
            {
                await http.Request.Body.CopyToAsync(Stream.Null);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            http.Response.ContentLength = payload.Length;
            await http.Response.Body.WriteAsync(payload);
        });
        await gateway.StartAsync();
        await ceilingApp.StartAsync();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false });
            var gatewayUrl = GatewayHost.BaseAddress(gateway);
            var ceilingUrl = GatewayHost.BaseAddress(ceilingApp);
            Func<int, long, CancellationToken, Task> Requests(Uri baseUrl) => async (caller, i, ct) =>
            {
                var key = (caller + i) % 64;
                var url = new Uri(baseUrl, $"/http/p{key % 8}/k{key}");
                if (puts && i % 2 == 1)
                {
                    using var put = await client.PutAsync(url, new ByteArrayContent(payload), ct);
                    put.EnsureSuccessStatusCode();
                }
                else
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
                    response.EnsureSuccessStatusCode();
                    await response.Content.CopyToAsync(Stream.Null, ct);
                }
            };

            var label = size >= MiB ? "1 MiB GETs" : "1 KiB GETs and PUTs";
            var unit = size >= MiB ? "MB/s" : "requests/s";
            var scale = size >= MiB ? size / 1e6 : 1.0;
            var figures = await context.CompareThroughputAsync(
            [
                ($"gateway: {label}, {connections} connections", Requests(gatewayUrl)),
                ("ceiling: Kestrel serving one byte array, same load", Requests(ceilingUrl)),
            ], unit, connections, scale);
            var (served, bound) = (figures[0], figures[1]);
            return [served, bound, Figure.Ratio($"ratio (target >= {(size >= MiB ? "0.6" : "0.5")})", served, bound)];
        }
        finally
        {
            await gateway.StopAsync();
            await ceilingApp.StopAsync();
        }
    }
}
