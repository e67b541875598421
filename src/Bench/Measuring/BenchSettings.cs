namespace Zarr.Actors.Bench.Measuring;

/// <summary>How long and how large a run is: the full run, or <c>--quick</c> (CI's smoke test).</summary>
/// <remarks><c>RangeValueBytes</c>: the size of range-read's values on disk; <c>LargeLatencyValueBytes</c>: the value its 100-byte ranges and versions are read from.</remarks>
public sealed record BenchSettings(int Rounds, TimeSpan Round, TimeSpan WarmUp, int MaxWarmUpRounds, int Keys, int LargeKeys, int DiskLargeValues, int LatencySamples,
    int RangeValueBytes, int LargeLatencyValueBytes)
{
    public static BenchSettings Full { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 15, 10_000, 256, 128, 20_000, 256 * 1024 * 1024, 100_000_000);

    public static BenchSettings Quick { get; } = new(1, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(100), 1, 1_000, 32, 8, 500, 16 * 1024 * 1024, 16 * 1024 * 1024);
}
