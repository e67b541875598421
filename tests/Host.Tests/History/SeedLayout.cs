namespace Zarr.Actors.Host.Tests.History;

/// <summary>Which nodes each node lists as its seeds.</summary>
public enum SeedLayout
{
    /// <summary>Every node lists every node, in the same order (the safe layout).</summary>
    All,

    /// <summary>The first node lists only itself and the others list the first (the README's layout before issue 13).</summary>
    First,
}
