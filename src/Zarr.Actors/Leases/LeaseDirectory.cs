using Akka.Actor;

namespace Zarr.Actors.Leases;

/// <summary>
/// Which data directory the leases of an actor system lock files in. An actor system hosts one store, so
/// this is set once, when the store starts (<see cref="DataDirectoryLease.Apply"/>), and read by each lease
/// sharding creates.
/// </summary>
internal sealed class LeaseDirectory : IExtension
{
    private ReservedDirectory? _reserved;

    public static LeaseDirectory Get(ActorSystem system) => system.WithExtension<LeaseDirectory, Provider>();

    /// <summary>The reserved directory in use; throws when no store with a data directory started on this system.</summary>
    public ReservedDirectory Reserved =>
        Volatile.Read(ref _reserved) ?? throw new InvalidOperationException(
            $"no data directory is set for {nameof(DataDirectoryLease)}: it is configured by ActorStore.StartAsync with a data directory");

    /// <summary>Sets the directory; a second store on the same system must use the same one.</summary>
    public void Use(ReservedDirectory reserved)
    {
        var previous = Interlocked.CompareExchange(ref _reserved, reserved, null);
        if (previous is not null && previous.Root != reserved.Root)
        {
            throw new InvalidOperationException(
                $"this actor system's store already serves the data directory '{previous.Root}', not '{reserved.Root}': one actor system hosts one store");
        }
    }

    private sealed class Provider : ExtensionIdProvider<LeaseDirectory>
    {
        public override LeaseDirectory CreateExtension(ExtendedActorSystem system) => new();
    }
}
