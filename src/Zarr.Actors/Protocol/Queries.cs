namespace Zarr.Actors.Protocol;

/// <summary>
/// Read <see cref="Name"/> (or a range of it). Reply: the <see cref="Zarr.Buffers.ByteBuffer"/>,
/// <see cref="ValueAbsent"/>, or, for a large value asked from another node, <see cref="LargeValue"/>.
/// </summary>
public sealed record GetValue(string Prefix, string Name, ByteRequest? Range) : IPrefixMessage, IProtocolMessage;

/// <summary>
/// Read <see cref="Name"/> (or a range of it) with its version. Reply: a <see cref="StoredValue"/> (the slice,
/// the whole value's length and its tag), <see cref="ValueAbsent"/>, or, for a large slice asked from another
/// node, <see cref="LargeValue"/>.
/// </summary>
public sealed record GetVersionedValue(string Prefix, string Name, ByteRequest? Range) : IPrefixMessage, IProtocolMessage;

/// <summary>The length and tag of <see cref="Name"/>'s version, without reading it. Reply: <see cref="ValueVersion"/> or <see cref="ValueAbsent"/>.</summary>
public sealed record GetValueVersion(string Prefix, string Name) : IPrefixMessage, IProtocolMessage;

/// <summary>Read bytes of a large value, as long as it still has <see cref="Tag"/>. Reply: the piece, or <see cref="ValueChanged"/>.</summary>
public sealed record GetValuePiece(string Prefix, string Name, long Start, int Length, string Tag) : IPrefixMessage, IProtocolMessage;

/// <summary>Read several names of one prefix at once. Reply: <see cref="ValuesRead"/>, one slot per name.</summary>
public sealed record GetValues(string Prefix, IReadOnlyList<string> Names, IReadOnlyList<ByteRequest?> Ranges) : IPrefixMessage, IProtocolMessage
{
    // Plain arrays on the wire, whatever list the sender built: the allow-list knows no other.
    public IReadOnlyList<string> Names { get; } = Names as string[] ?? Names.ToArray();

    public IReadOnlyList<ByteRequest?> Ranges { get; } = Ranges as ByteRequest?[] ?? Ranges.ToArray();
}

/// <summary>Is <see cref="Name"/> a stored key? Reply: <see cref="ValueExistence"/>.</summary>
public sealed record ValueExists(string Prefix, string Name) : IPrefixMessage, IProtocolMessage;

/// <summary>The length of <see cref="Name"/>'s value. Reply: <see cref="ValueSize"/>, or a failure with <see cref="KeyNotFoundException"/>.</summary>
public sealed record GetValueSize(string Prefix, string Name) : IPrefixMessage, IProtocolMessage;

/// <summary>This owner's keys and child prefixes. Reply: <see cref="DirectoryListing"/>.</summary>
public sealed record ListDirectory(string Prefix) : IPrefixMessage, IProtocolMessage;

/// <summary>Where does the owner of <see cref="Prefix"/> run? Reply: <see cref="OwnerLocation"/>.</summary>
public sealed record LocateOwner(string Prefix) : IPrefixMessage, IProtocolMessage;
