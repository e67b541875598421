namespace Zarr.Actors;

/// <summary>How <see cref="StoreNode.StartAsync"/> starts a node. Every setting has a safe default.</summary>
public sealed record StoreNodeOptions
{
    /// <summary>The disk backend's root directory; null keeps values in memory (the default).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The host name Akka remoting binds to and advertises.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The Akka remoting port; 0 picks a free one, so several nodes can run in one process.</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes as <c>host:port</c>; none means the node joins itself.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>When true, the node's store refuses writes.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// How long any store call waits for the actors before <see cref="StoreUnavailableException"/>;
    /// null takes <c>zarr-actors.request-timeout</c> from the configuration (30 s by default).
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Extra HOCON layered over the files in <c>hocon/</c> (and under the settings above).</summary>
    public string? ExtraConfig { get; init; }

    /// <summary>The actor system's name; every node of one cluster must use the same.</summary>
    public string SystemName { get; init; } = "zarr-actors";
}
