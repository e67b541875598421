using System.Text.Json.Nodes;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays;

/// <summary>
/// A Zarr v3 array's <c>zarr.json</c>: shape, data type, the regular chunk grid, the chunk key encoding,
/// the fill value, the codecs, attributes and dimension names, plus any extra fields marked
/// <c>"must_understand": false</c> (kept as read). <see cref="ToJson"/> writes it as the spec says.
/// </summary>
public sealed record ArrayMetadata
{
    private readonly JsonObject _attributes = [];

    /// <param name="shape">The array's length along each axis.</param>
    /// <param name="dataType">A Zarr v3 core data type.</param>
    /// <param name="chunkShape">The regular grid's chunk (or shard) shape, one length per axis.</param>
    /// <param name="fillValue">What missing chunks read as (null: zero of the type); see <see cref="Arrays.FillValue.Of"/>.</param>
    /// <param name="codecs">The codecs (null: <c>bytes</c>, little-endian for multi-byte types).</param>
    public ArrayMetadata(IReadOnlyList<long> shape, DataType dataType, IReadOnlyList<int> chunkShape, object? fillValue = null, IReadOnlyList<Codec>? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(chunkShape);
        Shape = [.. shape];
        DataType = dataType;
        ChunkShape = [.. chunkShape];
        FillValue = Arrays.FillValue.Of(dataType, fillValue);
        Codecs = codecs is null ? [new BytesCodec(dataType.ItemSize > 1 && !dataType.IsRaw ? Endianness.Little : null)] : [.. codecs];
    }

    public IReadOnlyList<long> Shape { get; init; }

    public DataType DataType { get; init; }

    /// <summary>The chunk shape of the <c>regular</c> chunk grid (with sharding: the shard shape).</summary>
    public IReadOnlyList<int> ChunkShape { get; init; }

    public FillValue FillValue { get; init; }

    public IReadOnlyList<Codec> Codecs { get; init; }

    public ChunkKeyEncoding ChunkKeyEncoding { get; init; } = ChunkKeyEncoding.Default;

    /// <summary>The user attributes (a copy: changing it changes nothing here).</summary>
    public JsonObject Attributes
    {
        get => (JsonObject)_attributes.DeepClone();
        init => _attributes = (JsonObject)(value ?? throw new ArgumentNullException(nameof(value))).DeepClone();
    }

    /// <summary>One name (or null) per axis; null when the array names none.</summary>
    public IReadOnlyList<string?>? DimensionNames { get; init; }

    /// <summary>Fields this implementation does not know, marked <c>"must_understand": false</c>, as read.</summary>
    public IReadOnlyDictionary<string, JsonNode> IgnoredFields { get; init; } = new Dictionary<string, JsonNode>();

    /// <summary>The number of axes.</summary>
    public int Rank => Shape.Count;

    /// <summary>The <c>zarr.json</c> document, as UTF-8 JSON.</summary>
    public byte[] ToJson() => MetadataJson.Write(this);

    /// <summary>Reads an array's <c>zarr.json</c>; <see cref="ZarrFormatException"/> names <paramref name="path"/> and what is wrong.</summary>
    public static ArrayMetadata Parse(ReadOnlySpan<byte> json, string path = "") => MetadataJson.ReadArray(json, path);

    internal JsonObject AttributesView => _attributes;

    /// <summary>Why these metadata describe no valid array; null when they do.</summary>
    internal string? Problem()
    {
        if (ChunkShape.Count != Shape.Count)
        {
            return $"chunk_shape [{string.Join(", ", ChunkShape)}] has {ChunkShape.Count} axes, but shape [{string.Join(", ", Shape)}] has {Shape.Count}";
        }

        if (Shape.Any(length => length < 0))
        {
            return $"shape [{string.Join(", ", Shape)}] has a negative length";
        }

        if (ChunkShape.Any(length => length <= 0))
        {
            return $"chunk_shape [{string.Join(", ", ChunkShape)}] has a length below 1";
        }

        if (FillValue.DataType != DataType)
        {
            return $"the fill value is a {FillValue.DataType}, but the array is {DataType}";
        }

        if (DimensionNames is { } names && names.Count != Shape.Count)
        {
            return $"dimension_names has {names.Count} names, but the array has {Shape.Count} axes";
        }

        long elements;
        try
        {
            elements = ChunkShape.Aggregate(1L, (n, length) => checked(n * length));
        }
        catch (OverflowException)
        {
            elements = long.MaxValue;
        }

        if (elements * DataType.ItemSize > Array.MaxLength)
        {
            return $"a chunk of [{string.Join(", ", ChunkShape)}] {DataType} elements is more than one buffer holds";
        }

        return CodecChain.TryBuild(Codecs, ChunkSpec, out _, out var problem) ? null : problem;
    }

    internal ChunkSpec ChunkSpec => new([.. ChunkShape], DataType, FillValue);
}
