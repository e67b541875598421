using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary><c>gzip</c> at <see cref="Level"/> 0-9, by the base library's <see cref="GZipStream"/>.</summary>
public sealed class GzipCodec : Codec, IBytesToBytesCodec
{
    public GzipCodec(int level = 5)
    {
        Level = level is >= 0 and <= 9
            ? level
            : throw new ArgumentOutOfRangeException(nameof(level), level, "a gzip level is 0 to 9");
    }

    public override string Name => "gzip";

    public int Level { get; }

    internal override CodecKind Kind => CodecKind.BytesToBytes;

    internal override bool WriteConfiguration(Utf8JsonWriter writer)
    {
        writer.WriteNumber("level", Level);
        return true;
    }

    ByteBuffer IBytesToBytesCodec.Encode(ByteBuffer decoded)
    {
        using var output = new MemoryStream(decoded.Length / 2 + 64);
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = Level }, leaveOpen: true))
        {
            gzip.Write(decoded.Span);
        }

        return ByteBuffer.FromMemory(output.GetBuffer().AsMemory(0, (int)output.Length));
    }

    ByteBuffer IBytesToBytesCodec.Decode(ByteBuffer encoded)
    {
        using var input = StreamOver(encoded);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return ByteBuffer.FromMemory(output.GetBuffer().AsMemory(0, (int)output.Length));
    }

    internal static MemoryStream StreamOver(ByteBuffer bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
