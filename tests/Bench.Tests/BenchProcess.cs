using System.Diagnostics;

namespace Zarr.Actors.Bench.Tests;

/// <summary>The built bench program as a child process.</summary>
internal static class BenchProcess
{
    public static Process Launch(IEnumerable<string> args) =>
        Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Bench.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        })!;
}
