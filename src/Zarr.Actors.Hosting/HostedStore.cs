using Akka.Actor;

namespace Zarr.Actors.Hosting;

/// <summary>
/// The store <see cref="ZarrActorsHostingExtensions.WithZarrActors"/> started on an actor system, kept with
/// the system (an Akka extension), so dependency injection can hand it out once the host has started.
/// </summary>
public sealed class HostedStore : IExtension
{
    private readonly TaskCompletionSource<ActorStore> _store = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The hosted store of <paramref name="system"/>.</summary>
    public static HostedStore Get(ActorSystem system) => system.WithExtension<HostedStore, HostedStoreProvider>();

    /// <summary>Completes once the store has started (fails if it could not).</summary>
    public Task<ActorStore> Started => _store.Task;

    /// <summary>The started store; throws <see cref="InvalidOperationException"/> before the host has started it.</summary>
    public ActorStore Store => _store.Task.IsCompletedSuccessfully
        ? _store.Task.Result
        : throw new InvalidOperationException(_store.Task.IsFaulted
            ? $"the Zarr.Actors store did not start: {_store.Task.Exception!.GetBaseException().Message}"
            : "the Zarr.Actors store starts with the Akka.NET host (WithZarrActors): resolve IStore once the host has started");

    internal void Set(ActorStore store) => _store.TrySetResult(store);

    internal void Fail(Exception error) => _store.TrySetException(error);
}

/// <summary>Creates the <see cref="HostedStore"/> extension, once per actor system.</summary>
public sealed class HostedStoreProvider : ExtensionIdProvider<HostedStore>
{
    public override HostedStore CreateExtension(ExtendedActorSystem system) => new();
}
