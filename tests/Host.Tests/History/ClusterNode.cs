using System.Net;
using System.Text.Json;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// One node of a <see cref="HostCluster"/>: fixed ports and a fixed command line, so it can be
/// killed, paused and restarted exactly as an operator would, whatever process runs it now.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private HostProcess? _process;

    public ClusterNode(string name, int httpPort, int akkaPort, IReadOnlyList<string> arguments)
    {
        Name = name;
        HttpPort = httpPort;
        AkkaPort = akkaPort;
        Arguments = arguments;
        // One client for every process that will listen here; stale pooled connections fail fast.
        Client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int AkkaPort { get; }

    /// <summary>The command line, the same at every start.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public HttpClient Client { get; }

    /// <summary>Whether clients send requests here: false while the nemesis holds it down or paused.</summary>
    public bool Serving { get; set; }

    public bool Running => _process is { HasExited: false };

    /// <summary>Its last lines of output, for explaining a failure.</summary>
    public string RecentOutput() => _process?.RecentOutput() ?? "(never started)";

    /// <summary>
    /// Starts it with its command line. A start that fails is tried again for up to 75 s: a port that
    /// the previous process held can stay taken for a while (TIME_WAIT), and an operator would retry.
    /// </summary>
    public async Task StartAsync(RunHistory history)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(75);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (_process is not null)
                {
                    await _process.DisposeAsync();
                }

                _process = null;
                _process = await HostProcess.StartExactAsync(Arguments);
                history.Note($"{Name} listening (pid {_process.Id}{(attempt > 1 ? $", start attempt {attempt}" : string.Empty)})");
                return;
            }
            catch (InvalidOperationException e) when (DateTime.UtcNow < deadline)
            {
                history.Note($"{Name} did not start (attempt {attempt}): {e.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await process.KillAsync();
        }
    }

    public Task PauseAsync() => Current().PauseAsync();

    public Task ResumeAsync() => Current().ResumeAsync();

    /// <summary>SIGTERM; the exit code, or null when it still runs after <paramref name="within"/> (then it is killed).</summary>
    public async Task<int?> TerminateAsync(TimeSpan within)
    {
        var process = Current();
        try
        {
            return await process.TerminateAsync(within);
        }
        catch (OperationCanceledException)
        {
            await process.KillAsync();
            return null;
        }
    }

    /// <summary>Its own view of the cluster from <c>/__health</c>.</summary>
    public async Task<NodeHealth> HealthAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await Client.GetAsync("/__health", timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            using var json = JsonDocument.Parse(text);
            var statuses = json.RootElement.TryGetProperty("members", out var members)
                ? members.EnumerateArray().Select(m => m.GetProperty("status").GetString() ?? "?").ToList()
                : [];
            return new NodeHealth(response.StatusCode == HttpStatusCode.OK, statuses.Count(s => s == "Up"), statuses.Count, text);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new NodeHealth(false, 0, 0, $"no answer: {e.GetType().Name}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private HostProcess Current() => _process ?? throw new InvalidOperationException($"node {Name} was never started");
}
