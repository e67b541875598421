namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// Tests that run three or four host processes and time failure detection: they run one at a time and
/// after the parallel tests, so that CPU starvation from the rest of the suite does not pass for a
/// node failure (two cores, and heartbeats that must arrive within seconds).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostClusterCollection
{
    public const string Name = "host clusters";
}
