using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Zarr.Actors.Host.Tests;

/// <summary>The node program as built on Akka.Hosting: Prometheus metrics, health-check routes, where its data lands.</summary>
public sealed class HostingProcessTests
{
    [Fact(DisplayName = "Hosting: the node serves Prometheus text at /__metrics, counting the store's operations by operation and outcome")]
    public async Task PrometheusCountsOperations()
    {
        await using var host = await HostProcess.StartAsync("--memory");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await host.Client.PutAsync($"/g/a/c/{i}", new StringContent("12345"))).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("12345", await host.Client.GetStringAsync($"/g/a/c/{i}"));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/g/a/c/missing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/g/b/missing")).StatusCode);
        using var conflict = new HttpRequestMessage(HttpMethod.Put, "/g/a/c/0") { Content = new StringContent("again") };
        conflict.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await host.Client.SendAsync(conflict)).StatusCode);

        using var response = await host.Client.GetAsync("/__metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(5, metrics.Sum("zarr_actors_operations_total", ("operation", "set"), ("outcome", "ok")));
        Assert.Equal(3, metrics.Sum("zarr_actors_operations_total", ("operation", "get"), ("outcome", "ok")));
        Assert.Equal(2, metrics.Sum("zarr_actors_operations_total", ("operation", "get"), ("outcome", "absent")));
        Assert.Equal(1, metrics.Sum("zarr_actors_operations_total", ("operation", "set_if_not_exists"), ("outcome", "precondition_failed")));
        Assert.Equal(1, metrics.Sum("zarr_actors_write_conflicts_total", ("operation", "set_if_not_exists")));
        Assert.Equal(5, metrics.Sum("zarr_actors_operation_duration_seconds_count", ("operation", "set"), ("outcome", "ok")));
        Assert.Equal(25, metrics.Sum("zarr_actors_written_bytes_total", ("operation", "set")));
        Assert.Equal(15, metrics.Sum("zarr_actors_read_bytes_total", ("operation", "get")));
        Assert.True(metrics.Sum("zarr_actors_owners") >= 3);
        Assert.True(metrics.Sum("http_server_request_duration_seconds_count") >= 11);
    }

    [Fact(DisplayName = "Hosting: /__health/live and /__health/ready answer Healthy on a running node, and need the token like every path")]
    public async Task HealthRoutes()
    {
        await using var host = await HostProcess.StartAsync("--memory", "--token", "s3cret");
        foreach (var path in new[] { "/__health/live", "/__health/ready", "/__metrics", "/__health" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync(path)).StatusCode);
        }

        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal("Healthy", await host.Client.GetStringAsync("/__health/live"));
        Assert.Equal("Healthy", await host.Client.GetStringAsync("/__health/ready"));
        Assert.Contains("\"status\":\"up\"", await host.Client.GetStringAsync("/__health"));
    }

    [Fact(DisplayName = "Hosting: a bad zarr-actors setting in --config stops the node with exit 1 and one line naming the key")]
    public async Task BadSettingIsNamed()
    {
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, "zarr-actors.number-of-shards = 0");
        try
        {
            using var process = HostProcess.Launch(["--http", "127.0.0.1:0", "--port", "0", "--memory", "--config", config]);
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(1, process.ExitCode);
            var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("error: the node did not start: zarr-actors.number-of-shards must be positive, not 0", line);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact(DisplayName = "Hosting: `dotnet run --project src/Host` keeps ./data under the directory the command was run from")]
    public async Task DataLandsWhereTheCommandRuns()
    {
        var here = Directory.CreateTempSubdirectory("zarr-run-");
        var project = Path.Combine(RepositoryRoot(), "src", "Host", "Host.csproj");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", configuration, "--project", project, "--", "--http", "127.0.0.1:0", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = here.FullName,
        };
        start.Environment.Remove("ZARR_ACTORS_TOKEN");
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.Contains("listening", StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.Contains($"data: {Path.Combine(here.FullName, "data")})", line);
            using var client = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0]) };
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/g/k", new StringContent("v"))).StatusCode);
            Assert.Equal("v", await File.ReadAllTextAsync(Path.Combine(here.FullName, "data", "g", "k")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            here.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zarr.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Zarr.Actors.sln above {AppContext.BaseDirectory}");
    }
}
