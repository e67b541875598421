using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Zarr.Actors.Sharding;

namespace Zarr.Actors.Telemetry;

/// <summary>
/// The store's metrics and traces, both named <see cref="Name"/>: listen with any OpenTelemetry
/// provider (<c>AddMeter(StoreTelemetry.Name)</c>, <c>AddSource(StoreTelemetry.Name)</c>) or a
/// <see cref="MeterListener"/>. With nobody listening, an instrument costs one flag read.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Zarr.Actors";

    /// <summary>Store operations (requests to owners), by <c>operation</c> and <c>outcome</c>.</summary>
    public const string OperationsName = "zarr_actors.operations";

    /// <summary>How long each took, in seconds, by <c>operation</c> and <c>outcome</c>.</summary>
    public const string DurationName = "zarr_actors.operation.duration";

    public const string ReadName = "zarr_actors.read";
    public const string WrittenName = "zarr_actors.written";
    public const string ConflictsName = "zarr_actors.write_conflicts";
    public const string OwnersName = "zarr_actors.owners";
    public const string RelayBatchName = "zarr_actors.relay.batch_size";

    private static readonly string? Version = typeof(StoreTelemetry).Assembly.GetName().Version?.ToString();

    // Every node (actor system) of the process, so one gauge reports each node's owners.
    private static readonly ConcurrentDictionary<LocalOwners, string> Nodes = new();

    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    public static Meter Meter { get; } = new(Name, Version);

    internal static Counter<long> Operations { get; } = Meter.CreateCounter<long>(OperationsName, "{operation}",
        "Store operations, each a request to the owner of a prefix (walks and large values: one per owner or piece)");

    internal static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>(DurationName, "s",
        "How long store operations took, from the call to the answer",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        });

    internal static Counter<long> BytesRead { get; } = Meter.CreateCounter<long>(ReadName, "By", "Value bytes the store returned to callers");

    internal static Counter<long> BytesWritten { get; } = Meter.CreateCounter<long>(WrittenName, "By", "Value bytes callers handed to the store");

    internal static Counter<long> Conflicts { get; } = Meter.CreateCounter<long>(ConflictsName, "{write}",
        "Conditional writes refused because the key did not meet the condition (If-None-Match: *, If-Match)");

    internal static Histogram<int> RelayBatchSize { get; } = Meter.CreateHistogram<int>(RelayBatchName, "{message}",
        "Requests or replies per batch sent to another node's relay",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

    static StoreTelemetry()
    {
        Meter.CreateObservableGauge(OwnersName, ObserveOwners, "{owner}", "Prefix owners running on each node");
    }

    /// <summary>Whether any per-call instrument is listened to (one check on the hot path when none is).</summary>
    internal static bool AnyListener =>
        Operations.Enabled || Duration.Enabled || BytesRead.Enabled || BytesWritten.Enabled || Conflicts.Enabled;

    /// <summary>Starts observing one store call; the returned value records it when completed.</summary>
    internal static OperationObservation Start(string operation, string key) => new(operation, key);

    internal static void Track(LocalOwners owners, string node) => Nodes[owners] = node;

    internal static void Untrack(LocalOwners owners) => Nodes.TryRemove(owners, out _);

    private static IEnumerable<Measurement<int>> ObserveOwners() =>
        Nodes.Select(node => new Measurement<int>(node.Key.Count, new KeyValuePair<string, object?>("node", node.Value)));
}
