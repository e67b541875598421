using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary>
/// <c>bytes</c>: each element in C order, in <see cref="Endian"/> byte order (required for multi-byte
/// types; null for one-byte types and raw bits, where it has no meaning).
/// </summary>
public sealed class BytesCodec(Endianness? endian = Endianness.Little) : Codec, IArrayToBytesCodec
{
    public override string Name => "bytes";

    public Endianness? Endian { get; } = endian;

    internal override CodecKind Kind => CodecKind.ArrayToBytes;

    internal override bool WriteConfiguration(Utf8JsonWriter writer)
    {
        if (Endian is not { } endian)
        {
            return false;
        }

        writer.WriteString("endian", endian == Endianness.Big ? "big" : "little");
        return true;
    }

    internal override string? Problem(ChunkSpec decoded) =>
        Endian is null && decoded.DataType.ItemSize > 1 && !decoded.DataType.IsRaw
            ? $"the bytes codec needs \"endian\" for {decoded.DataType}"
            : null;

    ByteBuffer IArrayToBytesCodec.Encode(NDBuffer decoded, ChunkSpec spec) =>
        (decoded.Order == ArrayOrder.C ? decoded : Regions.InOrder(decoded, ArrayOrder.C)).ToBytes(Endian ?? Endianness.Little);

    NDBuffer IArrayToBytesCodec.Decode(ByteBuffer encoded, ChunkSpec spec, string key)
    {
        var expected = (long)spec.Size * spec.DataType.ItemSize;
        if (encoded.Length != expected)
        {
            throw new InvalidDataException($"the bytes codec got {encoded.Length} bytes, but a chunk of {spec.Size} {spec.DataType} elements is {expected}");
        }

        return NDBuffer.FromBytes(encoded, spec.Shape, spec.DataType, ArrayOrder.C, Endian ?? Endianness.Little);
    }
}
