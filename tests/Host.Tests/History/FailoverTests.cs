using Xunit.Abstractions;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// SIGKILL under load with the shipped settings. CI kills once; <c>tests/history/run.sh --failover</c>
/// kills more often (ZARR_FAILOVER_KILLS) and prints the measured failover times.
/// </summary>
[Collection(HostClusterCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "Three host processes on one data directory: SIGKILL of one mid-load loses no acknowledged write, and its prefixes take writes again")]
    public async Task KilledNodeLosesNothing()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("ZARR_FAILOVER_KILLS"), out var k) && k > 0 ? k : 1;
        var config = Environment.GetEnvironmentVariable("ZARR_FAILOVER_CONFIG") is { Length: > 0 } file ? Path.GetFullPath(file) : null;
        var report = await FailoverRun.ExecuteAsync(kills, prefixes: 30, config);
        var summary = report.Summary();
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("ZARR_FAILOVER_REPORT") is { Length: > 0 } reportFile)
        {
            await File.WriteAllTextAsync(reportFile, summary + "\n");
        }

        Assert.Empty(report.Problems);
        Assert.Equal(kills, report.Kills.Count);
        // A run whose kills stalled nothing tested nothing (a fresh node a owns about a third of 30 prefixes).
        Assert.NotEmpty(report.Kills[0].Failovers);
        Assert.True(report.Acknowledged >= 100, $"only {report.Acknowledged} acknowledged writes");
    }
}
