using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Sharding;

/// <summary>
/// Routes every <see cref="IPrefixMessage"/> to the owner of its prefix. The number of shards is
/// fixed for the life of the data: changing it moves prefixes between shards.
/// </summary>
public sealed class PrefixMessageExtractor(int numberOfShards) : HashCodeMessageExtractor(numberOfShards)
{
    /// <summary>The entity id of the root prefix <c>""</c> (sharding needs a non-empty id; "/" is never a prefix).</summary>
    public const string RootEntityId = "/";

    public override string? EntityId(object message) => message is IPrefixMessage m ? EntityIdOf(m.Prefix) : null;

    public static string EntityIdOf(string prefix) => prefix.Length == 0 ? RootEntityId : prefix;

    public static string PrefixOf(string entityId) => entityId == RootEntityId ? string.Empty : entityId;
}
