using Zarr.Buffers;

namespace Zarr.Actors.Protocol;

/// <summary>Store <see cref="Value"/> as <see cref="Name"/> when <see cref="Condition"/> holds. Reply: <see cref="WriteOutcome"/>.</summary>
public sealed record PutValue(string Prefix, string Name, ByteBuffer Value, WriteCondition Condition) : IPrefixMessage, IValueMessage
{
    /// <summary>The operation named in errors (<c>set</c>, <c>set_if_not_exists</c>).</summary>
    public string Operation => OperationNames.OfWrite(Condition);

    public long ValueBytes => Value.Length;
}

/// <summary>
/// One piece of a value too large for one remote frame; the owner assembles the pieces of
/// <see cref="TransferId"/> until <see cref="CommitValue"/>. Reply: <see cref="Done"/>.
/// </summary>
public sealed record PutValuePiece(string Prefix, string TransferId, long Offset, long TotalLength, ByteBuffer Piece)
    : IPrefixMessage, IValueMessage
{
    public long ValueBytes => Piece.Length;
}

/// <summary>Store the assembled value of <see cref="TransferId"/> as <see cref="Name"/>. Reply: as <see cref="PutValue"/>.</summary>
public sealed record CommitValue(string Prefix, string Name, string TransferId, WriteCondition Condition) : IPrefixMessage, IProtocolMessage
{
    /// <summary>The operation named in errors, as for <see cref="PutValue"/>.</summary>
    public string Operation => OperationNames.OfWrite(Condition);
}

/// <summary>Remove <see cref="Name"/> when <see cref="Condition"/> holds. Reply: <see cref="WriteOutcome"/>.</summary>
public sealed record RemoveValue(string Prefix, string Name, WriteCondition Condition) : IPrefixMessage, IProtocolMessage;

/// <summary>Remove every key this owner holds (its share of a DeleteDir). Reply: <see cref="Done"/>.</summary>
public sealed record RemoveAllValues(string Prefix) : IPrefixMessage, IProtocolMessage;
