using Akka.Cluster.Sharding;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Sharding;

/// <summary>
/// Routes every <see cref="IPrefixMessage"/> to the owner of its prefix (entity ids: <see cref="PrefixShards"/>).
/// The number of shards is fixed for the life of the data: changing it moves prefixes between shards.
/// </summary>
public sealed class PrefixMessageExtractor(int numberOfShards) : HashCodeMessageExtractor(numberOfShards)
{
    public override string? EntityId(object message) => message is IPrefixMessage m ? PrefixShards.EntityIdOf(m.Prefix) : null;
}
