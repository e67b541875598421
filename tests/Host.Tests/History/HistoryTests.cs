using Xunit.Abstractions;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// The single-owner promise, checked as Jepsen would: three host processes on one data directory
/// under faults, every operation recorded, every key's history checked for linearizability. CI runs
/// the defaults (about a minute); <c>tests/history/run.sh</c> runs it long.
/// </summary>
[Collection(HostClusterCollection.Name)]
public sealed class HistoryTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "History: three host processes on one data directory stay linearizable per key under kill, pause, SIGTERM, seed restart and a port clash")]
    public async Task LinearizableUnderFaults()
    {
        var settings = HistorySettings.FromEnvironment();
        var report = await HistoryRun.ExecuteAsync(settings);
        var summary = report.Summary();
        output.WriteLine(summary);
        if (settings.ReportFile is { } file)
        {
            await File.WriteAllTextAsync(file, summary + "\n");
        }

        Assert.All(settings.Faults, fault => Assert.True(report.Faults.GetValueOrDefault(fault) > 0, $"{fault} was never applied"));
        // Every key must have been exercised, or the verdict would prove little.
        Assert.All(report.Verdicts, v => Assert.True(v.Operations >= 20, $"{v.Key}: only {v.Operations} operations"));
        Assert.Equal(settings.Keys.Count, report.Verdicts.Count);
        Assert.True(report.Passed, summary);
    }
}
