using System.Text.Json;

namespace Zarr.Actors.Bench.Tests;

/// <summary>The bench program runs end to end and writes valid JSON; its numbers are not judged here.</summary>
public sealed class BenchSmokeTests
{
    [Fact(DisplayName = "bench --quick runs every scenario and writes valid JSON")]
    public async Task QuickBenchWritesJson()
    {
        var json = Path.Combine(Path.GetTempPath(), $"zarr-bench-{Guid.NewGuid():N}.json");
        try
        {
            using var process = BenchProcess.Launch(["--quick", "--json", json]);
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"bench exited {process.ExitCode}: {await errors}\n{await output}");

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var scenarios = document.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
            Assert.Equal(Bench.Scenarios, scenarios.Select(s => s.GetProperty("Scenario").GetString()));
            foreach (var scenario in scenarios)
            {
                Assert.True(scenario.GetProperty("PeakWorkingSetMiB").GetDouble() > 0);
                Assert.All(scenario.GetProperty("Figures").EnumerateArray(), figure =>
                    Assert.True(double.IsFinite(figure.GetProperty("Median").GetDouble()), $"{figure.GetProperty("Name")} is not a number"));
            }

            var contention = scenarios.Single(s => s.GetProperty("Scenario").GetString() == "contention");
            var winners = contention.GetProperty("Figures").EnumerateArray().Single(f => f.GetProperty("Name").GetString()!.StartsWith("rounds with exactly one winner", StringComparison.Ordinal));
            Assert.Equal(200, winners.GetProperty("Median").GetDouble());

            // The owner's merge loses no inner chunk, in-process or over HTTP.
            var shardWrites = scenarios.Single(s => s.GetProperty("Scenario").GetString() == "shard-writes");
            var lostMerge = shardWrites.GetProperty("Figures").EnumerateArray().Single(f => f.GetProperty("Name").GetString() == "lost_merge");
            Assert.Equal(0, lostMerge.GetProperty("Median").GetDouble());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact(DisplayName = "bench refuses an unknown scenario with one line and exit code 2")]
    public async Task UnknownScenario()
    {
        using var process = BenchProcess.Launch(["--scenario", "warp-speed"]);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("warp-speed", errors);
    }
}
