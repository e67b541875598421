using System.Globalization;
using System.Text;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>What a failover run measured.</summary>
public sealed record FailoverReport(IReadOnlyList<KillMeasurement> Kills, int Acknowledged, IReadOnlyList<string> Timeline, IReadOnlyList<string> Problems, string? ConfigFile)
{
    public static double Median(IReadOnlyList<TimeSpan> sorted) => sorted.Count == 0
        ? double.NaN
        : (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]).TotalSeconds / 2;

    public string Summary()
    {
        var all = Kills.SelectMany(k => k.Failovers).Order().ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"failover run: {Kills.Count} kills, config {ConfigFile ?? "shipped defaults"}, {Acknowledged} acknowledged writes read back");
        foreach (var kill in Kills)
        {
            text.AppendLine("    " + kill);
        }

        text.AppendLine(all.Count == 0
            ? "no prefix stalled"
            : string.Create(CultureInfo.InvariantCulture, $"over all {all.Count} stalled prefixes: failover median {Median(all):0.0} s, max {all[^1].TotalSeconds:0.0} s; per-kill maxima {string.Join(", ", Kills.Where(k => k.Failovers.Count > 0).Select(k => k.Failovers[^1].TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))} s"));
        text.AppendLine("timeline:");
        foreach (var line in Timeline)
        {
            text.AppendLine("    " + line);
        }

        return text.ToString().TrimEnd();
    }
}
