using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Zarr.Actors.Host.Tests;

/// <summary>The built Host program running as a child process, as users run it.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private HostProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    public static Process Launch(IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Host.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.Environment.Remove("ZARR_ACTORS_TOKEN");
        return Process.Start(start)!;
    }

    /// <summary>Starts the host and returns once it printed the line with its URL.</summary>
    public static async Task<HostProcess> StartAsync(params string[] args)
    {
        var process = Launch(["--http", "127.0.0.1:0", "--port", "0", .. args]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"the host exited before listening: {await process.StandardError.ReadToEndAsync()}");
            }

            var at = line.IndexOf("http://", StringComparison.Ordinal);
            if (line.Contains("listening", StringComparison.Ordinal) && at >= 0)
            {
                var url = line[at..].Split(' ')[0];
                return new HostProcess(process, new Uri(url));
            }
        }
    }

    /// <summary>Sends SIGTERM and returns the exit code, or throws when the host does not stop in time.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or flush anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<string> RemainingOutputAsync() => await _process.StandardOutput.ReadToEndAsync();

    /// <summary>A TCP port that was free a moment ago (for a seed node's known address).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
