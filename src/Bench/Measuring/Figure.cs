namespace Zarr.Actors.Bench.Measuring;

/// <summary>One reported number: the median of its rounds, their spread, and every round's value in order.</summary>
public sealed record Figure(string Name, string Unit, double Median, double Min, double Max, int Rounds, IReadOnlyList<double> Values)
{
    public static Figure Of(string name, string unit, IReadOnlyList<double> rounds) =>
        new(name, unit, MedianOf(rounds), rounds.Min(), rounds.Max(), rounds.Count, rounds.ToArray());

    public static Figure Single(string name, string unit, double value) => new(name, unit, value, value, value, 1, [value]);

    /// <summary>
    /// <paramref name="measured"/> over <paramref name="bound"/>, round by round: both were measured in
    /// alternating rounds, so each round's pair saw the same stretch of a noisy machine, and the median of
    /// the pairs' ratios is steadier than the ratio of the two medians.
    /// </summary>
    public static Figure Ratio(string name, Figure measured, Figure bound)
    {
        if (measured.Values.Count != bound.Values.Count)
        {
            throw new ArgumentException($"ratio '{name}': {measured.Values.Count} rounds against {bound.Values.Count}");
        }

        return Of(name, "x", measured.Values.Zip(bound.Values, (m, b) => m / b).ToArray());
    }

    /// <summary>The middle value of <paramref name="values"/> (the mean of the two middle ones for an even count).</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
