using System.Globalization;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>One kill: which node, and the failover time of each prefix it stalled.</summary>
public sealed record KillMeasurement(string Victim, IReadOnlyList<TimeSpan> Failovers, int Prefixes)
{
    public override string ToString() => Failovers.Count == 0
        ? $"kill of {Victim}: no prefix of {Prefixes} stalled"
        : string.Create(CultureInfo.InvariantCulture,
            $"kill of {Victim}: {Failovers.Count} of {Prefixes} prefixes stalled; failover median {FailoverReport.Median(Failovers):0.0} s, max {Failovers[^1].TotalSeconds:0.0} s");
}
