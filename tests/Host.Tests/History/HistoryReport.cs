using System.Globalization;
using System.Text;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>The outcome of a history run: its settings, what the nemesis did, the operations, and each key's verdict.</summary>
public sealed record HistoryReport(
    HistorySettings Settings,
    IReadOnlyList<Operation> Operations,
    IReadOnlyList<string> Timeline,
    IReadOnlyList<string> Problems,
    IReadOnlyDictionary<Fault, int> Faults,
    IReadOnlyList<KeyVerdict> Verdicts,
    TimeSpan Elapsed)
{
    public bool Passed => Problems.Count == 0 && Verdicts.All(v => v.Linearizable == true);

    /// <summary>What a run prints: settings, counts, faults, verdicts, and any explanation of a failure.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        var answered = Operations.Count(op => op.Outcome != OperationOutcome.Indeterminate);
        text.AppendLine(CultureInfo.InvariantCulture, $"history run: {(Passed ? "PASSED" : "FAILED")} in {Elapsed.TotalSeconds:0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"settings: {Settings}");
        text.AppendLine(CultureInfo.InvariantCulture, $"operations: {Operations.Count} ({answered} answered, {Operations.Count - answered} indeterminate)");
        foreach (var kind in Enum.GetValues<OperationKind>())
        {
            var ops = Operations.Where(op => op.Kind == kind).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    {kind,-16} {ops.Count,6}: {ops.Count(o => o.Outcome == OperationOutcome.Ok),6} ok, {ops.Count(o => o.Outcome == OperationOutcome.PreconditionFailed),5} 412, {ops.Count(o => o.Outcome == OperationOutcome.Indeterminate),5} indeterminate");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"faults: {(Faults.Count == 0 ? "none" : string.Join(", ", Faults.Select(f => $"{HistorySettings.Name(f.Key)} x{f.Value}")))}");
        var linearizable = Verdicts.Count(v => v.Linearizable == true);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"keys checked: {Verdicts.Count}, linearizable {linearizable}, not {Verdicts.Count(v => v.Linearizable == false)}, undecided {Verdicts.Count(v => v.Linearizable is null)}; " +
            $"{Verdicts.Sum(v => v.Operations)} operations checked in {Verdicts.Sum(v => v.Elapsed.TotalMilliseconds):0} ms ({Verdicts.Sum(v => (long)v.Configurations)} configurations)");
        foreach (var verdict in Verdicts)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    {verdict.Key,-14} {verdict.Operations,5} ops, {verdict.Indeterminate,4} indeterminate: {(verdict.Linearizable switch { true => "linearizable", false => "NOT linearizable", null => "undecided" })}");
        }

        text.AppendLine("timeline:");
        foreach (var line in Timeline)
        {
            text.AppendLine("    " + line.Replace("\n", "\n        ", StringComparison.Ordinal));
        }

        foreach (var problem in Problems)
        {
            text.AppendLine("PROBLEM: " + problem);
        }

        foreach (var verdict in Verdicts.Where(v => v.Linearizable != true))
        {
            text.AppendLine(verdict.Explanation);
        }

        return text.ToString().TrimEnd();
    }
}
