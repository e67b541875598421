using System.Diagnostics;
using Xunit.Abstractions;

namespace Zarr.Actors.Host.Tests;

/// <summary>
/// Runs tests/interop/run.sh: zarrita, zarr-python 2.13, curl and headless Chromium against a real
/// host process. The script installs its own clients; its output is the evidence of what was checked.
/// </summary>
public sealed class InteropTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "Real Zarr clients (zarrita, zarr-python, curl, a browser) read and write through the host")]
    public async Task RealClients()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "tests", "interop", "run.sh"), Path.Combine(AppContext.BaseDirectory, "Host.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var log = await stdout + await stderr;
        output.WriteLine(log);
        Assert.True(process.ExitCode == 0, $"the interop suite failed (exit {process.ExitCode}):\n{log}");
        Assert.Contains("all interop checks passed", log);
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

        throw new InvalidOperationException("the tests do not run inside the repository");
    }
}
