using System.Buffers.Binary;
using System.Text.Json;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary><c>crc32c</c>: appends the CRC-32C of the bytes (little-endian) and checks it when decoding.</summary>
public sealed class Crc32cCodec : Codec, IBytesToBytesCodec
{
    public override string Name => "crc32c";

    internal override CodecKind Kind => CodecKind.BytesToBytes;

    internal override bool WriteConfiguration(Utf8JsonWriter writer) => false;

    ByteBuffer IBytesToBytesCodec.Encode(ByteBuffer decoded)
    {
        var output = new byte[decoded.Length + 4];
        decoded.Span.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(decoded.Length), Crc32C.Compute(decoded.Span));
        return ByteBuffer.FromMemory(output);
    }

    ByteBuffer IBytesToBytesCodec.Decode(ByteBuffer encoded)
    {
        if (encoded.Length < 4)
        {
            throw new InvalidDataException($"the crc32c codec got {encoded.Length} bytes, fewer than its 4-byte checksum");
        }

        var data = encoded.Slice(0, encoded.Length - 4);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(encoded.Span[data.Length..]);
        var computed = Crc32C.Compute(data.Span);
        return stored == computed
            ? data
            : throw new InvalidDataException($"crc32c mismatch: the stored checksum is 0x{stored:x8}, the bytes give 0x{computed:x8}");
    }
}
