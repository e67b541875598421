using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Zarr.Actors.Host;

namespace Zarr.Actors.Bench.Measuring;

/// <summary>
/// Static-file servers for the HTTP baselines of range reads: Kestrel sending a byte range of a file
/// (<c>SendFileAsync</c>, a file opened per request, as ASP.NET's static files do), and nginx when the
/// machine has it.
/// </summary>
internal static class StaticFileServers
{
    /// <summary>Kestrel answering <c>GET /{name}</c> with <c>Range</c> from <paramref name="files"/>: 206 with the range's bytes.</summary>
    public static async Task<WebApplication> StartKestrelAsync(IReadOnlyDictionary<string, string> files)
    {
        var lengths = files.ToDictionary(f => f.Key, f => new FileInfo(f.Value).Length);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async http =>
        {
            var name = http.Request.Path.Value![1..];
            if (!files.TryGetValue(name, out var path))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var length = lengths[name];
            var (start, count) = RangeHeader.Parse(http.Request.Headers.Range.ToString())?.Resolve(checked((int)length)) ?? (0, (int)length);
            http.Response.StatusCode = StatusCodes.Status206PartialContent;
            http.Response.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{length}";
            http.Response.ContentLength = count;
            await http.Response.SendFileAsync(path, start, count);
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>nginx serving <paramref name="root"/> on a free port, or null when the machine has no nginx.</summary>
    public static async Task<Nginx?> StartNginxAsync(string root, string scratch)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            return null;
        }

        var port = FreePort();
        var prefix = Directory.CreateDirectory(Path.Combine(scratch, "nginx")).FullName;
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            {{(Environment.UserName == "root" ? "user root;" : string.Empty)}}
            worker_processes {{Environment.ProcessorCount}};
            pid {{prefix}}/nginx.pid;
            error_log stderr error;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}; proxy_temp_path {{prefix}}; fastcgi_temp_path {{prefix}};
                uwsgi_temp_path {{prefix}}; scgi_temp_path {{prefix}};
                server { listen 127.0.0.1:{{port}}; root {{root}}; }
            }
            """));
        var process = Process.Start(new ProcessStartInfo(binary, ["-p", prefix, "-c", config]) { RedirectStandardError = true, UseShellExecute = false })!;
        var url = new Uri($"http://127.0.0.1:{port}");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                Console.WriteLine($"  (nginx did not start: {(await process.StandardError.ReadToEndAsync()).Trim()})");
                return null;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new Nginx(process, url);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill(entireProcessTree: true);
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A running nginx, stopped on dispose.</summary>
    public sealed class Nginx(Process process, Uri url) : IDisposable
    {
        public Uri Url { get; } = url;

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }
}
