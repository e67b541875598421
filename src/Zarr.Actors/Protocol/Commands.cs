using Zarr.Buffers;

namespace Zarr.Actors.Protocol;

/// <summary>Store <see cref="Value"/> as <see cref="Name"/> when <see cref="Condition"/> holds. Reply: <see cref="WriteOutcome"/>.</summary>
public sealed record PutValue(string Prefix, string Name, ByteBuffer Value, WriteCondition Condition) : IValueMessage
{
    /// <summary>The operation named in errors (<c>set</c>, <c>set_if_not_exists</c>).</summary>
    public string Operation => Condition == WriteCondition.IfAbsent ? "set_if_not_exists" : "set";
}

/// <summary>Remove <see cref="Name"/> when <see cref="Condition"/> holds. Reply: <see cref="WriteOutcome"/>.</summary>
public sealed record RemoveValue(string Prefix, string Name, WriteCondition Condition) : IPrefixMessage;

/// <summary>Remove every key this owner holds (its share of a DeleteDir). Reply: <see cref="Done"/>.</summary>
public sealed record RemoveAllValues(string Prefix) : IPrefixMessage;
