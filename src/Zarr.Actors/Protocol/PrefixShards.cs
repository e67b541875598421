namespace Zarr.Actors.Protocol;

/// <summary>What every node agrees on to reach the owners of prefixes through Cluster.Sharding.</summary>
public static class PrefixShards
{
    /// <summary>The sharding type name of the prefix owners.</summary>
    public const string TypeName = "zarr-prefix";

    /// <summary>The entity id of the root prefix <c>""</c> (sharding needs a non-empty id; "/" is never a prefix).</summary>
    public const string RootEntityId = "/";

    /// <summary>The entity id of the owner of <paramref name="prefix"/>.</summary>
    public static string EntityIdOf(string prefix) => prefix.Length == 0 ? RootEntityId : prefix;

    /// <summary>The prefix an owner with <paramref name="entityId"/> owns.</summary>
    public static string PrefixOf(string entityId) => entityId == RootEntityId ? string.Empty : entityId;
}
