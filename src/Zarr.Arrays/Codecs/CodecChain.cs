using Zarr.Buffers;

namespace Zarr.Arrays.Codecs;

/// <summary>
/// An array's (or a shard's inner) codecs bound to one chunk shape, data type and fill value, in the
/// order the spec requires: array→array codecs, exactly one array→bytes codec, bytes→bytes codecs.
/// </summary>
internal sealed class CodecChain
{
    private readonly (IArrayToArrayCodec Codec, ChunkSpec Decoded)[] _arrayToArray;
    private readonly IArrayToBytesCodec _arrayToBytes;
    private readonly ChunkSpec _arrayToBytesSpec;
    private readonly IBytesToBytesCodec[] _bytesToBytes;

    private CodecChain(ChunkSpec spec, (IArrayToArrayCodec, ChunkSpec)[] arrayToArray, IArrayToBytesCodec arrayToBytes,
        ChunkSpec arrayToBytesSpec, IBytesToBytesCodec[] bytesToBytes)
    {
        Spec = spec;
        _arrayToArray = arrayToArray;
        _arrayToBytes = arrayToBytes;
        _arrayToBytesSpec = arrayToBytesSpec;
        _bytesToBytes = bytesToBytes;
    }

    /// <summary>The decoded chunks this chain takes.</summary>
    public ChunkSpec Spec { get; }

    /// <summary>
    /// The sharding codec when it is the whole chain, so shards can be read by byte ranges and merged
    /// inner chunk by inner chunk; null otherwise (a shard then is an opaque chunk).
    /// </summary>
    public ShardingCodec? AddressableSharding =>
        _arrayToArray.Length == 0 && _bytesToBytes.Length == 0 ? _arrayToBytes as ShardingCodec : null;

    /// <summary>Binds <paramref name="codecs"/> to chunks of <paramref name="spec"/>; false with the reason when they do not fit.</summary>
    public static bool TryBuild(IReadOnlyList<Codec> codecs, ChunkSpec spec, out CodecChain chain, out string? problem)
    {
        chain = null!;
        var arrayToArray = new List<(IArrayToArrayCodec, ChunkSpec)>();
        IArrayToBytesCodec? arrayToBytes = null;
        ChunkSpec? arrayToBytesSpec = null;
        var bytesToBytes = new List<IBytesToBytesCodec>();
        var current = spec;
        foreach (var codec in codecs)
        {
            if (codec.Kind == CodecKind.Ignored)
            {
                continue;
            }

            if (codec.Kind != CodecKind.BytesToBytes && (problem = codec.Problem(current)) is not null)
            {
                return false;
            }

            switch (codec.Kind)
            {
                case CodecKind.ArrayToArray when arrayToBytes is null:
                    var array = (IArrayToArrayCodec)codec;
                    arrayToArray.Add((array, current));
                    current = array.EncodedSpec(current);
                    break;
                case CodecKind.ArrayToBytes when arrayToBytes is null:
                    arrayToBytes = (IArrayToBytesCodec)codec;
                    arrayToBytesSpec = current;
                    break;
                case CodecKind.BytesToBytes when arrayToBytes is not null:
                    bytesToBytes.Add((IBytesToBytesCodec)codec);
                    break;
                default:
                    problem = $"codec {codec.Name} cannot come {(arrayToBytes is null ? "before" : "after")} the array-to-bytes codec" +
                              (arrayToBytes is null ? string.Empty : $" ({((Codec)arrayToBytes).Name})");
                    return false;
            }
        }

        if (arrayToBytes is null)
        {
            problem = "the codecs have no array-to-bytes codec (such as bytes or sharding_indexed)";
            return false;
        }

        chain = new CodecChain(spec, [.. arrayToArray], arrayToBytes, arrayToBytesSpec!, [.. bytesToBytes]);
        problem = null;
        return true;
    }

    /// <summary>The stored bytes of <paramref name="chunk"/> (of <see cref="Spec"/>'s shape and type).</summary>
    public ByteBuffer Encode(NDBuffer chunk)
    {
        foreach (var (codec, _) in _arrayToArray)
        {
            chunk = codec.Encode(chunk);
        }

        var bytes = _arrayToBytes.Encode(chunk, _arrayToBytesSpec);
        foreach (var codec in _bytesToBytes)
        {
            bytes = codec.Encode(bytes);
        }

        return bytes;
    }

    /// <summary>The chunk stored as <paramref name="bytes"/> at <paramref name="key"/>; throws when they do not decode.</summary>
    public NDBuffer Decode(ByteBuffer bytes, string key)
    {
        for (var i = _bytesToBytes.Length - 1; i >= 0; i--)
        {
            bytes = _bytesToBytes[i].Decode(bytes);
        }

        var chunk = _arrayToBytes.Decode(bytes, _arrayToBytesSpec, key);
        for (var i = _arrayToArray.Length - 1; i >= 0; i--)
        {
            chunk = _arrayToArray[i].Codec.Decode(chunk, _arrayToArray[i].Decoded);
        }

        return chunk;
    }
}
