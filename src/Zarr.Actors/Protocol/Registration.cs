namespace Zarr.Actors.Protocol;

/// <summary>
/// A child prefix got its first key: record <see cref="ChildName"/> as a directory of
/// <see cref="Prefix"/>. Reply: <see cref="Done"/>, or <see cref="DirectoryConflict"/> when the name is a key.
/// </summary>
public sealed record RegisterChild(string Prefix, string ChildName) : IPrefixMessage, IProtocolMessage;

/// <summary>A child prefix became empty: forget <see cref="ChildName"/>. Reply: <see cref="Done"/>.</summary>
public sealed record UnregisterChild(string Prefix, string ChildName) : IPrefixMessage, IProtocolMessage;
