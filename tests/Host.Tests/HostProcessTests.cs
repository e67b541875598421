using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Zarr.Actors.Host.Tests;

/// <summary>The built program, run as users run it: start, serve, stop on SIGTERM, refuse bad options, form a cluster.</summary>
public sealed class HostProcessTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact(DisplayName = "The host prints its URL once it serves, keeps data on disk, and stops cleanly on SIGTERM")]
    public async Task ServesAndStopsOnSigterm()
    {
        var data = Directory.CreateTempSubdirectory("zarr-host-");
        try
        {
            await using (var host = await HostProcess.StartAsync("--data", data.FullName))
            {
                Assert.Equal(HttpStatusCode.Created, (await host.Client.PutAsync("/g/a/c/0", new StringContent("chunk"))).StatusCode);
                Assert.Equal("chunk", await host.Client.GetStringAsync("/g/a/c/0"));
                Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(20)));
                Assert.Contains("stopped", await host.RemainingOutputAsync());
            }

            Assert.Equal("chunk", await File.ReadAllTextAsync(Path.Combine(data.FullName, "g/a/c/0")));

            // A restart on the same directory serves what the first run wrote.
            await using var again = await HostProcess.StartAsync("--data", data.FullName);
            Assert.Equal("chunk", await again.Client.GetStringAsync("/g/a/c/0"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact(DisplayName = "An invalid option exits 2 with one line on stderr and no stack trace")]
    public async Task InvalidOptionExits()
    {
        using var process = HostProcess.Launch(["--port", "not-a-port"]);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("--port", lines[0]);
        Assert.DoesNotContain(" at ", errors);
    }

    [Fact(DisplayName = "Host bench points to the bench program with one line on stderr and exits 2")]
    public async Task BenchMovedOut()
    {
        using var process = HostProcess.Launch(["bench", "--quick"]);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("dotnet run -c Release --project src/Bench", line);
    }

    [Fact(DisplayName = "Two host processes form one cluster: any node serves any key, and set-if-absent has one winner across them")]
    public async Task TwoProcessCluster()
    {
        var seedPort = HostProcess.FreePort();
        await using var first = await HostProcess.StartAsync("--memory", "--port", seedPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var second = await HostProcess.StartAsync("--memory", "--seed", $"127.0.0.1:{seedPort}");
        var clients = new[] { first.Client, second.Client };

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await clients[i % 2].PutAsync($"/p{i}/k", new StringContent($"v{i}"))).StatusCode);
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"v{i}", await clients[(i + 1) % 2].GetStringAsync($"/p{i}/k"));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Put, "/race/zarr.json") { Content = new StringContent($"racer {i}") };
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
            using var response = await clients[i % 2].SendAsync(request);
            return response.StatusCode;
        })).ToArray();
        start.SetResult();
        var statuses = await Task.WhenAll(racers);
        var winner = Assert.Single(Enumerable.Range(0, 16), i => statuses[i] == HttpStatusCode.Created);
        Assert.Equal($"racer {winner}", await first.Client.GetStringAsync("/race/zarr.json"));
        Assert.Equal($"racer {winner}", await second.Client.GetStringAsync("/race/zarr.json"));

        var health = await second.Client.GetStringAsync("/__health");
        Assert.Equal(2, health.Split("\"Up\"").Length - 1);
    }
}
