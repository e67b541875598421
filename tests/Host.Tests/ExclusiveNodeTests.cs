using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Actors.Host.Tests;

/// <summary>
/// What one node has, it has alone: its Akka address, and the prefixes of its data directory, whatever
/// cluster each process believes it is in.
/// </summary>
public sealed class ExclusiveNodeTests : Akka.TestKit.Xunit2.TestKit
{
    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact(DisplayName = "A node whose Akka port is in use exits 2 with one line on stderr, and the node on that port goes on alone")]
    public async Task PortInUseExits()
    {
        var port = HostProcess.FreePort();
        await using var first = await HostProcess.StartAsync("--memory", "--port", Text(port));
        Assert.Equal(HttpStatusCode.Created, (await first.Client.PutAsync("/k", new StringContent("v"))).StatusCode);

        using var second = HostProcess.Launch(["--http", "127.0.0.1:0", "--memory", "--port", Text(port)]);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                await second.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                // A node that shared the port would run on: it fails the test instead of hanging it.
                if (!second.HasExited)
                {
                    second.Kill(entireProcessTree: true);
                }
            }
        }

        var errors = await second.StandardError.ReadToEndAsync();
        Assert.Equal(2, second.ExitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{port} is in use", line);
        Assert.DoesNotContain(" at ", errors);
        Assert.DoesNotContain("listening", await second.StandardOutput.ReadToEndAsync());

        Assert.Equal("v", await first.Client.GetStringAsync("/k"));
        Assert.Equal(1, (await first.Client.GetStringAsync("/__health")).Split("\"Up\"").Length - 1);
    }

    [Fact(DisplayName = "A seed restarted on its port right after SIGKILL starts: connections the dead node left in TIME_WAIT are no listener")]
    public async Task RestartAfterKillTakesItsPortAgain()
    {
        var port = HostProcess.FreePort();
        var seed = $"127.0.0.1:{port}";
        var victim = await HostProcess.StartAsync("--memory", "--port", Text(port), "--seed", seed);
        await using var other = await HostProcess.StartAsync("--memory", "--seed", seed);
        await AwaitAssertAsync(async () => Assert.Equal(2, (await other.Client.GetStringAsync("/__health")).Split("\"Up\"").Length - 1),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        await victim.KillAsync();
        await victim.DisposeAsync();

        await using var restarted = await HostProcess.StartAsync("--memory", "--port", Text(port), "--seed", seed);
        Assert.Contains($"127.0.0.1:{port}", await restarted.Client.GetStringAsync("/__health"));
    }

    [Fact(DisplayName = "The port guard sees another process listening on a node's port, and never its own sockets")]
    public async Task GuardSeesOtherListeners()
    {
        var port = HostProcess.FreePort();
        await using var node = await HostProcess.StartAsync("--memory", "--port", Text(port));
        Assert.NotNull(AkkaPortGuard.FindListener("127.0.0.1", port));
        Assert.NotNull(AkkaPortGuard.FindSharer("127.0.0.1", port));

        // This process's own listener, bound the way Akka binds (SO_REUSEADDR, which .NET makes SO_REUSEPORT too).
        using var own = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        own.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        own.Bind(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 0));
        own.Listen(1);
        var ownPort = ((IPEndPoint)own.LocalEndPoint!).Port;
        Assert.Null(AkkaPortGuard.FindSharer("127.0.0.1", ownPort));
        Assert.NotNull(AkkaPortGuard.FindListener("127.0.0.1", ownPort));
        Assert.Null(AkkaPortGuard.FindListener("127.0.0.1", HostProcess.FreePort()));
    }

    [Fact(DisplayName = "Two host processes of separate clusters on one --data: the second answers 503 for the first's prefixes and writes nothing, and serves them once the first is killed")]
    public async Task SecondClusterOnOneDirectoryIsFenced()
    {
        var data = Directory.CreateTempSubdirectory("zarr-fenced-");
        var config = Path.Combine(data.FullName, "..", $"{data.Name}.conf");
        await File.WriteAllTextAsync(config, "zarr-actors.request-timeout = 4s\n");
        try
        {
            var first = await HostProcess.StartAsync("--data", data.FullName, "--config", config);
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await first.Client.PutAsync($"/g/a{i}/c/0", new StringContent($"first {i}"))).StatusCode);
                }

                // Started alone (no seed), it is a cluster of its own on the same directory.
                await using var second = await HostProcess.StartAsync("--data", data.FullName, "--config", config);
                var refused = await Task.WhenAll(
                    second.Client.GetAsync("/g/a0/c/0"),
                    second.Client.PutAsync("/g/a1/c/0", new StringContent("second")),
                    second.Client.PutAsync("/g/a2/c/new", new StringContent("second")),
                    second.Client.DeleteAsync("/g/a3/c/0"));
                Assert.All(refused, response => Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode));
                Assert.False(File.Exists(Path.Combine(data.FullName, "g/a2/c/new")));
                Assert.Equal("first 1", await File.ReadAllTextAsync(Path.Combine(data.FullName, "g/a1/c/0")));
                Assert.Equal("first 3", await first.Client.GetStringAsync("/g/a3/c/0"));

                await first.KillAsync();
                await AwaitAssertAsync(async () =>
                {
                    for (var i = 0; i < 4; i++)
                    {
                        using var response = await second.Client.GetAsync($"/g/a{i}/c/0");
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        Assert.Equal($"first {i}", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
                    }
                }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
                Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync("/g/a2/c/new")).StatusCode);
                Assert.DoesNotContain(".zarr-actors", await second.Client.GetStringAsync("/"));
            }
            finally
            {
                await first.DisposeAsync();
            }
        }
        finally
        {
            File.Delete(config);
            data.Delete(recursive: true);
        }
    }
}
