using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Actors.Host.Tests;

/// <summary>The built Host program running as a child process, as users run it.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly StringBuilder _afterListening = new();
    private readonly Task _pumps;

    private HostProcess(Process process, Uri url, IReadOnlyList<string> arguments)
    {
        _process = process;
        Url = url;
        Arguments = arguments;
        Client = new HttpClient { BaseAddress = url };
        // Read both pipes to the end: a host whose pipe fills up blocks on its next log line.
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, keep: true), PumpAsync(process.StandardError, keep: false));
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    /// <summary>The command-line arguments it was started with (a restart uses exactly these).</summary>
    public IReadOnlyList<string> Arguments { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts the host on free ports and returns once it printed the line with its URL.</summary>
    public static Task<HostProcess> StartAsync(params string[] args) => StartExactAsync(["--http", "127.0.0.1:0", "--port", "0", .. args]);

    /// <summary>Starts the host with exactly <paramref name="args"/> and returns once it printed the line with its URL.</summary>
    public static async Task<HostProcess> StartExactAsync(IReadOnlyList<string> args)
    {
        var process = Launch(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
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
                return new HostProcess(process, new Uri(url), args);
            }
        }
    }

    /// <summary>A new process with the same arguments, once this one has exited.</summary>
    public async Task<HostProcess> RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"host {Id} still runs: stop it before restarting it");
        }

        await DisposeAsync();
        return await StartExactAsync(Arguments);
    }

    /// <summary>Sends SIGTERM and returns the exit code, or throws when the host does not stop in time.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        await SignalAsync("TERM");
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or flush anything.</summary>
    public async Task KillAsync()
    {
        // The host has no child processes; walking the process tree under load took up to a second,
        // which a caller timing the kill would have counted as the node still serving.
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process stays alive, holding its sockets and locks, but runs nothing, like a long GC pause.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Waits for the process to exit; false when it still runs after <paramref name="within"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What it printed on stdout after its listening line, once it has exited.</summary>
    public async Task<string> RemainingOutputAsync()
    {
        await _pumps;
        lock (_recent)
        {
            return _afterListening.ToString();
        }
    }

    /// <summary>Its last lines of output (stdout and stderr), for explaining a failure.</summary>
    public string RecentOutput()
    {
        lock (_recent)
        {
            return string.Join('\n', _recent);
        }
    }

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

        await _pumps;
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private async Task PumpAsync(StreamReader reader, bool keep)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_recent)
            {
                if (keep && _afterListening.Length < 1 << 20)
                {
                    _afterListening.AppendLine(line);
                }

                _recent.Enqueue(line);
                if (_recent.Count > KeptLines)
                {
                    _recent.Dequeue();
                }
            }
        }
    }
}
