namespace Zarr.Actors.Host.Tests.History;

/// <summary>Whether one key's history has a linearization, and if not, why not.</summary>
public sealed record KeyVerdict
{
    public required string Key { get; init; }

    /// <summary>True: linearizable; false: not; null: the search gave up (over its budget of configurations).</summary>
    public required bool? Linearizable { get; init; }

    public required int Operations { get; init; }

    public required int Indeterminate { get; init; }

    /// <summary>Distinct (linearized set, state) configurations the search visited.</summary>
    public required int Configurations { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>For a history that is not linearizable: the key, and the operations around the point where no linearization exists.</summary>
    public string? Explanation { get; init; }
}
