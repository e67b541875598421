namespace Zarr.Actors.Protocol;

/// <summary>Read <see cref="Name"/> (or a range of it). Reply: the <see cref="Zarr.Buffers.ByteBuffer"/>, or <see cref="ValueAbsent"/>.</summary>
public sealed record GetValue(string Prefix, string Name, ByteRequest? Range) : IPrefixMessage;

/// <summary>Read several names of one prefix at once. Reply: <see cref="ValuesRead"/>, one slot per name.</summary>
public sealed record GetValues(string Prefix, IReadOnlyList<string> Names, IReadOnlyList<ByteRequest?> Ranges) : IPrefixMessage;

/// <summary>Is <see cref="Name"/> a stored key? Reply: <see cref="bool"/>.</summary>
public sealed record ValueExists(string Prefix, string Name) : IPrefixMessage;

/// <summary>The length of <see cref="Name"/>'s value. Reply: <see cref="long"/>, or a failure with <see cref="KeyNotFoundException"/>.</summary>
public sealed record GetValueSize(string Prefix, string Name) : IPrefixMessage;

/// <summary>This owner's keys and child prefixes. Reply: <see cref="DirectoryListing"/>.</summary>
public sealed record ListDirectory(string Prefix) : IPrefixMessage;
