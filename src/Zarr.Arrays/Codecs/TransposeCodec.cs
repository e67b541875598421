using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary><c>transpose</c>: axis <c>i</c> of the encoded chunk is axis <c>Order[i]</c> of the decoded one.</summary>
public sealed class TransposeCodec : Codec, IArrayToArrayCodec
{
    private readonly int[] _order;
    private readonly int[] _inverse;

    public TransposeCodec(IReadOnlyList<int> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        _order = [.. order];
        if (!_order.Order().SequenceEqual(Enumerable.Range(0, _order.Length)))
        {
            throw new ArgumentException($"transpose order [{string.Join(", ", _order)}] is not a permutation of 0..{_order.Length - 1}", nameof(order));
        }

        _inverse = new int[_order.Length];
        for (var i = 0; i < _order.Length; i++)
        {
            _inverse[_order[i]] = i;
        }
    }

    public override string Name => "transpose";

    public IReadOnlyList<int> Order => _order;

    internal override CodecKind Kind => CodecKind.ArrayToArray;

    internal override bool WriteConfiguration(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("order");
        foreach (var axis in _order)
        {
            writer.WriteNumberValue(axis);
        }

        writer.WriteEndArray();
        return true;
    }

    internal override string? Problem(ChunkSpec decoded) =>
        _order.Length == decoded.Shape.Length
            ? null
            : $"transpose order [{string.Join(", ", _order)}] has {_order.Length} axes, but the chunks have {decoded.Shape.Length}";

    ChunkSpec IArrayToArrayCodec.EncodedSpec(ChunkSpec decoded) =>
        decoded with { Shape = _order.Select(axis => decoded.Shape[axis]).ToArray() };

    NDBuffer IArrayToArrayCodec.Encode(NDBuffer decoded) => decoded.Transpose(_order);

    NDBuffer IArrayToArrayCodec.Decode(NDBuffer encoded, ChunkSpec decoded) => encoded.Transpose(_inverse);
}
