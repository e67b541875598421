namespace Zarr.Actors.Protocol;

/// <summary>
/// A message for the owner of one key prefix. <see cref="Prefix"/> is normalized (no trailing
/// <c>/</c>, <c>""</c> for the root) and is all the sharding glue routes by.
/// </summary>
public interface IPrefixMessage
{
    string Prefix { get; }
}

/// <summary>A message of the store's protocol without value bytes; bound to Hyperion, with an allow-list.</summary>
public interface IProtocolMessage
{
}

/// <summary>
/// A message that carries value bytes; bound to <see cref="Serialization.ValueMessageSerializer"/>, which
/// writes them raw (its format is one entry of <see cref="Serialization.ValueMessageFormats"/>).
/// </summary>
public interface IValueMessage
{
    /// <summary>How many value bytes the message carries: what the relay's size rules and <see cref="WireLimits"/> count.</summary>
    long ValueBytes { get; }
}
