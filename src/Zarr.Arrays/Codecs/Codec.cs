using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary>
/// One entry of an array's <c>codecs</c> (or of a shard's inner or index codecs): its name and
/// configuration as <c>zarr.json</c> holds them. Instances are immutable; the chain that runs them is
/// built per array.
/// </summary>
public abstract class Codec
{
    private protected Codec()
    {
    }

    /// <summary>The name in metadata, e.g. <c>bytes</c> or <c>sharding_indexed</c>.</summary>
    public abstract string Name { get; }

    internal abstract CodecKind Kind { get; }

    /// <summary>Writes the <c>configuration</c> object's members; false when the codec has none.</summary>
    internal abstract bool WriteConfiguration(Utf8JsonWriter writer);

    /// <summary>Why this codec cannot take chunks of <paramref name="decoded"/>; null when it can.</summary>
    internal virtual string? Problem(ChunkSpec decoded) => null;

    internal virtual void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        using var configuration = new MemoryStream();
        using (var inner = new Utf8JsonWriter(configuration))
        {
            inner.WriteStartObject();
            var any = WriteConfiguration(inner);
            inner.WriteEndObject();
            inner.Flush();
            if (any)
            {
                writer.WritePropertyName("configuration");
                writer.WriteRawValue(configuration.ToArray(), skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    public override string ToString()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>What a codec turns into what, as the spec classifies codecs.</summary>
internal enum CodecKind
{
    ArrayToArray,
    ArrayToBytes,
    BytesToBytes,

    /// <summary>An unknown codec marked <c>must_understand: false</c>: kept in metadata, not run.</summary>
    Ignored,
}

/// <summary>The decoded representation a codec sees: a chunk's shape, data type and fill value.</summary>
internal sealed record ChunkSpec(int[] Shape, DataType DataType, FillValue FillValue)
{
    public int Size => Shape.Aggregate(1, (size, length) => checked(size * length));

    public bool SameAs(ChunkSpec other) =>
        other.Shape.AsSpan().SequenceEqual(Shape) && other.DataType == DataType && other.FillValue.Equals(FillValue);
}

internal interface IArrayToArrayCodec
{
    ChunkSpec EncodedSpec(ChunkSpec decoded);

    NDBuffer Encode(NDBuffer decoded);

    NDBuffer Decode(NDBuffer encoded, ChunkSpec decoded);
}

internal interface IArrayToBytesCodec
{
    ByteBuffer Encode(NDBuffer decoded, ChunkSpec spec);

    /// <summary>Decodes the bytes stored at <paramref name="key"/> (named in errors).</summary>
    NDBuffer Decode(ByteBuffer encoded, ChunkSpec spec, string key);
}

internal interface IBytesToBytesCodec
{
    ByteBuffer Encode(ByteBuffer decoded);

    ByteBuffer Decode(ByteBuffer encoded);
}
