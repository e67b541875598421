namespace Zarr.Actors.Bench.Measuring;

/// <summary>How long and how large a run is: the full run, or <c>--quick</c> (CI's smoke test).</summary>
public sealed record BenchSettings(int Rounds, TimeSpan Round, TimeSpan WarmUp, int MaxWarmUpRounds, int Keys, int LargeKeys, int DiskLargeValues, int LatencySamples)
{
    public static BenchSettings Full { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 15, 10_000, 256, 128, 20_000);

    public static BenchSettings Quick { get; } = new(1, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(100), 1, 1_000, 32, 8, 500);
}
