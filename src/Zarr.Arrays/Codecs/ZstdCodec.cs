using System.Text.Json;
using Zarr.Buffers;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Zarr.Arrays.Codecs;

/// <summary><c>zstd</c> at <see cref="Level"/>, with the frame's content checksum when <see cref="Checksum"/>, by ZstdSharp.</summary>
public sealed class ZstdCodec : Codec, IBytesToBytesCodec
{
    public ZstdCodec(int level = 0, bool checksum = false)
    {
        Level = level >= Compressor.MinCompressionLevel && level <= Compressor.MaxCompressionLevel
            ? level
            : throw new ArgumentOutOfRangeException(nameof(level), level, $"a zstd level is {Compressor.MinCompressionLevel} to {Compressor.MaxCompressionLevel}");
        Checksum = checksum;
    }

    public override string Name => "zstd";

    public int Level { get; }

    public bool Checksum { get; }

    internal override CodecKind Kind => CodecKind.BytesToBytes;

    internal override bool WriteConfiguration(Utf8JsonWriter writer)
    {
        writer.WriteNumber("level", Level);
        writer.WriteBoolean("checksum", Checksum);
        return true;
    }

    ByteBuffer IBytesToBytesCodec.Encode(ByteBuffer decoded)
    {
        using var compressor = new Compressor(Level);
        if (Checksum)
        {
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        }

        return ByteBuffer.FromMemory(compressor.Wrap(decoded.Span).ToArray());
    }

    ByteBuffer IBytesToBytesCodec.Decode(ByteBuffer encoded)
    {
        using var decompressor = new Decompressor();
        var size = Decompressor.GetDecompressedSize(encoded.Span);
        if (size is > 0 and <= int.MaxValue)
        {
            // One frame that records its size (what every writer here and zarr-python's numcodecs write).
            var output = new byte[size];
            if (decompressor.TryUnwrap(encoded.Span, output, out var written) && written == output.Length)
            {
                return ByteBuffer.FromMemory(output);
            }
        }

        // No recorded size, or more than one frame: stream it.
        using var input = GzipCodec.StreamOver(encoded);
        using var stream = new DecompressionStream(input);
        using var all = new MemoryStream();
        stream.CopyTo(all);
        return ByteBuffer.FromMemory(all.GetBuffer().AsMemory(0, (int)all.Length));
    }
}
