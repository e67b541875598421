namespace Zarr.Actors.Protocol;

/// <summary>
/// A message for the owner of one key prefix. <see cref="Prefix"/> is normalized (no trailing
/// <c>/</c>, <c>""</c> for the root) and is all the sharding glue routes by.
/// </summary>
public interface IPrefixMessage
{
    string Prefix { get; }
}

/// <summary>A message that carries value bytes; it has its own serializer, which writes them raw.</summary>
public interface IValueMessage : IPrefixMessage
{
}
