namespace Zarr.Actors.Bench.Measuring;

/// <summary>One scenario's figures and the peak working set seen while it ran.</summary>
public sealed record ScenarioResult(string Scenario, IReadOnlyList<Figure> Figures, double PeakWorkingSetMiB);
