namespace Zarr.Actors.Shards;

/// <summary>
/// A stored shard is not a valid <c>sharding_indexed</c> shard for the layout it was read with. A
/// <see cref="FormatException"/>: the base library's <c>InvalidDataException</c> is sealed.
/// </summary>
public class ShardFormatException : FormatException
{
    public ShardFormatException(string message) : base(message)
    {
    }

    public ShardFormatException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>The key of the shard that is corrupt.</summary>
    public string? Key { get; init; }

    // Akka rebuilds an exception that crossed the wire in a Status.Failure through this constructor;
    // without it the caller on the other node would get a failure with no cause at all.
#pragma warning disable SYSLIB0051
    protected ShardFormatException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context) : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
