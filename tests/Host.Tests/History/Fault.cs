namespace Zarr.Actors.Host.Tests.History;

/// <summary>The nemesis's faults.</summary>
public enum Fault
{
    /// <summary>SIGKILL a random node, keep it down a while, restart it with the same command.</summary>
    Kill,

    /// <summary>SIGSTOP a random node for longer than the failure detector's window, then SIGCONT.</summary>
    Pause,

    /// <summary>SIGTERM a random node (a graceful leave), then restart it with the same command.</summary>
    Term,

    /// <summary>SIGKILL the first seed and restart it at once with the same command.</summary>
    SeedRestart,

    /// <summary>Start a fourth node on the Akka port of a running one, with the same data directory: it must exit 2 with one line.</summary>
    PortClash,
}
