using System.Globalization;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// The shape of a history run. The defaults are the CI-sized run; every field can be set from the
/// environment (ZARR_HISTORY_*), which is how <c>tests/history/run.sh</c> runs the long form.
/// </summary>
public sealed record HistorySettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<Fault> Faults { get; init; } = [Fault.PortClash, Fault.SeedRestart, Fault.Kill, Fault.Pause, Fault.Term];

    public SeedLayout Seeds { get; init; } = SeedLayout.All;

    public int Clients { get; init; } = 10;

    public int Prefixes { get; init; } = 6;

    public int KeysPerPrefix { get; init; } = 2;

    /// <summary>A client's mean pause between operations, so that each key gets hundreds of operations, not tens of thousands.</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>How long a client waits for an answer before it counts the operation as indeterminate.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a killed node stays down before its restart.</summary>
    public TimeSpan Downtime { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a paused node stays stopped: longer than failure detection plus the split-brain resolver's stable-after.</summary>
    public TimeSpan PauseLength { get; init; } = TimeSpan.FromSeconds(14);

    /// <summary>How long a resumed node may take to rejoin or exit before the nemesis kills and restarts it.</summary>
    public TimeSpan ResumeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Quiet time between one fault's healing and the next fault.</summary>
    public TimeSpan Gap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the cluster may take to heal (every node Up in every node's view) after a fault.</summary>
    public TimeSpan HealTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Extra HOCON every node gets with <c>--config</c> (to compare settings); null for the shipped defaults.</summary>
    public string? ConfigFile { get; init; }

    public int RandomSeed { get; init; } = Environment.TickCount;

    /// <summary>Where to write the summary as well (the script prints it).</summary>
    public string? ReportFile { get; init; }

    public IReadOnlyList<string> Keys =>
        Enumerable.Range(0, Prefixes).SelectMany(p => Enumerable.Range(0, KeysPerPrefix).Select(k => $"hist/p{p}/k{k}")).ToList();

    public static HistorySettings FromEnvironment()
    {
        var defaults = new HistorySettings();
        return defaults with
        {
            Duration = Seconds("ZARR_HISTORY_SECONDS") ?? defaults.Duration,
            Faults = Environment.GetEnvironmentVariable("ZARR_HISTORY_FAULTS") is { } faults ? ParseFaults(faults) : defaults.Faults,
            Seeds = Environment.GetEnvironmentVariable("ZARR_HISTORY_SEEDS") switch
            {
                null or "" or "all" => SeedLayout.All,
                "first" => SeedLayout.First,
                var other => throw new ArgumentException($"ZARR_HISTORY_SEEDS must be all or first, not '{other}'"),
            },
            Clients = Integer("ZARR_HISTORY_CLIENTS") ?? defaults.Clients,
            Prefixes = Integer("ZARR_HISTORY_PREFIXES") ?? defaults.Prefixes,
            KeysPerPrefix = Integer("ZARR_HISTORY_KEYS_PER_PREFIX") ?? defaults.KeysPerPrefix,
            Think = Integer("ZARR_HISTORY_THINK_MS") is { } think ? TimeSpan.FromMilliseconds(think) : defaults.Think,
            RequestTimeout = Seconds("ZARR_HISTORY_REQUEST_TIMEOUT") ?? defaults.RequestTimeout,
            Downtime = Seconds("ZARR_HISTORY_DOWNTIME") ?? defaults.Downtime,
            PauseLength = Seconds("ZARR_HISTORY_PAUSE") ?? defaults.PauseLength,
            ResumeTimeout = Seconds("ZARR_HISTORY_RESUME_TIMEOUT") ?? defaults.ResumeTimeout,
            Gap = Seconds("ZARR_HISTORY_GAP") ?? defaults.Gap,
            HealTimeout = Seconds("ZARR_HISTORY_HEAL_TIMEOUT") ?? defaults.HealTimeout,
            ConfigFile = NonEmpty("ZARR_HISTORY_CONFIG") is { } config ? Path.GetFullPath(config) : null,
            RandomSeed = Integer("ZARR_HISTORY_RANDOM_SEED") ?? defaults.RandomSeed,
            ReportFile = NonEmpty("ZARR_HISTORY_REPORT"),
        };
    }

    public static IReadOnlyList<Fault> ParseFaults(string list) => list.Trim() is "" or "none"
        ? []
        : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name switch
        {
            "kill" => Fault.Kill,
            "pause" => Fault.Pause,
            "term" => Fault.Term,
            "seed-restart" => Fault.SeedRestart,
            "port-clash" => Fault.PortClash,
            _ => throw new ArgumentException($"unknown fault '{name}' (kill, pause, term, seed-restart, port-clash, or none)"),
        }).ToList();

    public static string Name(Fault fault) => fault switch
    {
        Fault.SeedRestart => "seed-restart",
        Fault.PortClash => "port-clash",
        _ => fault.ToString().ToLowerInvariant(),
    };

    public override string ToString() =>
        $"{Duration.TotalSeconds:0} s, faults {(Faults.Count == 0 ? "none" : string.Join(',', Faults.Select(Name)))}, seeds {Seeds.ToString().ToLowerInvariant()}, " +
        $"{Clients} clients, {Prefixes}x{KeysPerPrefix} keys, think {Think.TotalMilliseconds:0} ms, request timeout {RequestTimeout.TotalSeconds:0} s, " +
        $"downtime {Downtime.TotalSeconds:0} s, pause {PauseLength.TotalSeconds:0} s, config {ConfigFile ?? "shipped defaults"}, random seed {RandomSeed}";

    private static string? NonEmpty(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int? Integer(string name) => NonEmpty(name) is { } value
        ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : throw new ArgumentException($"{name} must be a whole number, not '{value}'")
        : null;

    private static TimeSpan? Seconds(string name) => Integer(name) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
