namespace Zarr.Actors;

/// <summary>How <see cref="ActorStore.StartAsync"/> attaches the sharded store to an actor system.</summary>
public sealed record ActorStoreSettings
{
    /// <summary>The disk backend's root directory; null keeps values in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How long any call waits for the actors before <see cref="StoreUnavailableException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the returned store refuses writes.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// The number of shards prefixes are spread over. It must be the same on every node and may never
    /// change while data exists; null takes <c>zarr-actors.number-of-shards</c> from the configuration.
    /// </summary>
    public int? NumberOfShards { get; init; }

    /// <summary>
    /// How long an owner may go without messages before it stops (its prefix is reloaded when next
    /// asked); zero never passivates. Null takes <c>zarr-actors.passivate-idle-after</c> (2 minutes).
    /// </summary>
    public TimeSpan? PassivateIdleAfter { get; init; }
}
