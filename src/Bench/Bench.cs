using System.Globalization;
using System.Text.Json;
using Zarr.Actors.Bench.Measuring;
using Zarr.Actors.Bench.Scenarios;
using static Zarr.Actors.Bench.Units;

namespace Zarr.Actors.Bench;

/// <summary>
/// The benchmarks: each scenario measured beside the baseline that bounds it, in the same run, so
/// ratios hold on a noisy shared machine. Warm-up first, then rounds; the median and the spread are
/// reported, with the peak working set seen during the scenario. Each scenario is a file of
/// <c>Scenarios/</c>; the measuring they share is in <c>Measuring/</c>.
/// </summary>
public static class Bench
{
    /// <summary>The command line, as <c>--help</c> prints it.</summary>
    public const string Usage = "dotnet run -c Release --project src/Bench -- [--quick] [--json <file>] [--scenario <name>]...";

    private static readonly (string Name, Func<BenchContext, Task<List<Figure>>> Run)[] All =
    [
        ("small-inproc", SmallInProcess.RunAsync),
        ("latency-inproc", LatencyInProcess.RunAsync),
        ("large-inproc", LargeInProcess.RunAsync),
        ("contention", Contention.RunAsync),
        ("disk-large", DiskLarge.RunAsync),
        ("disk-small", DiskSmall.RunAsync),
        ("http-large", context => Http.RunAsync(context, MiB, connections: 8, puts: false)),
        ("http-small", context => Http.RunAsync(context, KiB, connections: 32, puts: true)),
        ("cluster", Cluster.RunAsync),
        ("range-read", RangeRead.RunAsync),
        ("shard-writes", ShardWrites.RunAsync),
    ];

    /// <summary>Every scenario's name, in the order a full run takes them.</summary>
    public static readonly string[] Scenarios = All.Select(s => s.Name).ToArray();

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var quick = false;
        string? json = null;
        var selected = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < arguments.Count:
                    json = arguments[++i];
                    break;
                case "--scenario" when i + 1 < arguments.Count && Scenarios.Contains(arguments[i + 1]):
                    selected.Add(arguments[++i]);
                    break;
                case "--scenario" when i + 1 < arguments.Count:
                    Console.Error.WriteLine($"error: --scenario: unknown scenario '{arguments[i + 1]}' (one of {string.Join(", ", Scenarios)})");
                    return 2;
                case "--help" or "-h":
                    Console.WriteLine($"Zarr.Actors bench: {Usage}\nscenarios: {string.Join(", ", Scenarios)}");
                    return 0;
                default:
                    Console.Error.WriteLine($"error: bench: unexpected argument '{arguments[i]}' ({Usage})");
                    return 2;
            }
        }

        var settings = quick ? BenchSettings.Quick : BenchSettings.Full;
        var results = new List<ScenarioResult>();
        var context = new BenchContext(settings);
        Console.WriteLine($"Zarr.Actors bench ({(quick ? "quick" : "full")}): {settings.Rounds} rounds of {settings.Round.TotalSeconds:0.##} s after a warm-up, " +
                          $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        foreach (var name in selected.Count > 0 ? selected.ToArray() : Scenarios)
        {
            Console.WriteLine($"... {name}");
            var result = await RunScenarioAsync(name, context);
            results.Add(result);
            Print(result);
        }

        if (json is not null)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
            {
                date = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                quick,
                cores = Environment.ProcessorCount,
                scenarios = results,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {json}");
        }

        return 0;
    }

    private static async Task<ScenarioResult> RunScenarioAsync(string name, BenchContext context)
    {
        using var peak = new PeakWorkingSet();
        var figures = await All.Single(s => s.Name == name).Run(context);
        return new ScenarioResult(name, figures, peak.Stop() / (double)MiB);
    }


    private static void Print(ScenarioResult result)
    {
        Console.WriteLine($"{result.Scenario} (peak working set {result.PeakWorkingSetMiB:0} MiB)");
        foreach (var figure in result.Figures)
        {
            var spread = figure.Min == figure.Max ? string.Empty : $"  [{Format(figure.Min)} .. {Format(figure.Max)}]";
            Console.WriteLine($"  {figure.Name,-72} {Format(figure.Median),12} {figure.Unit}{spread}");
        }
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
