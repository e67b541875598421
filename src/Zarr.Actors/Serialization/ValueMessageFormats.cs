using System.Runtime.Serialization;
using Zarr.Actors.Protocol;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>
/// How each message that carries values is written: its manifest and its fields, values raw. Both
/// <see cref="ValueMessageSerializer"/> (a message on its own) and <see cref="RelaySerializer"/> (a message
/// inside a batch) write from this table, so a new value-carrying message is one entry here.
/// </summary>
internal static class ValueMessageFormats
{
    /// <summary>One message type's format: a short manifest, unique here, and its writer and reader.</summary>
    public sealed record Format(string Manifest, Type Type, Action<WireWriter, object> Write, Func<WireReader, object> Read);

    private const byte NoCondition = 0;
    private const byte IfAbsentCondition = 1;
    private const byte IfMatchCondition = 2;

    private static readonly Format[] All =
    [
        Of<PutValue>("p", WritePut, ReadPut),
        Of<PutValuePiece>("pp",
            (writer, piece) =>
            {
                writer.String(piece.Prefix);
                writer.String(piece.TransferId);
                writer.Long(piece.Offset);
                writer.Long(piece.TotalLength);
                writer.Bytes(piece.Piece);
            },
            reader => new PutValuePiece(reader.String(), reader.String(), reader.Long(), reader.Long(), reader.Bytes())),
        Of<ValuesRead>("r", WriteValuesRead, ReadValuesRead),
        Of<StoredValue>("sv",
            (writer, stored) =>
            {
                writer.Long(stored.Length);
                writer.String(stored.Tag);
                writer.Bytes(stored.Value);
            },
            reader => ReadStored(reader)),
        Of<MergeShard>("m", WriteMerge, ReadMerge),
    ];

    private static readonly Dictionary<Type, Format> ByType = All.ToDictionary(f => f.Type);
    private static readonly Dictionary<string, Format> ByManifest = All.ToDictionary(f => f.Manifest, StringComparer.Ordinal);

    /// <summary>Every format (tests check that each value-carrying message has one).</summary>
    public static IReadOnlyList<Format> Formats => All;

    /// <summary>The format of <paramref name="message"/>'s type, or null when it has none.</summary>
    public static Format? Of(object message) => ByType.GetValueOrDefault(message.GetType());

    /// <summary>The format named <paramref name="manifest"/>; <see cref="SerializationException"/> when there is none.</summary>
    public static Format WithManifest(string manifest, string serializer) =>
        ByManifest.TryGetValue(manifest, out var format)
            ? format
            : throw new SerializationException($"{serializer} has no manifest '{manifest}'");

    private static Format Of<T>(string manifest, Action<WireWriter, T> write, Func<WireReader, T> read) where T : IValueMessage =>
        new(manifest, typeof(T), (writer, message) => write(writer, (T)message), reader => read(reader));

    private static void WritePut(WireWriter writer, PutValue put)
    {
        writer.String(put.Prefix);
        writer.String(put.Name);
        WriteCondition(writer, put.Condition);
        writer.Bytes(put.Value);
    }

    private static PutValue ReadPut(WireReader reader)
    {
        var prefix = reader.String();
        var name = reader.String();
        var condition = ReadCondition(reader);
        return new PutValue(prefix, name, reader.Bytes(), condition);
    }

    private static StoredValue ReadStored(WireReader reader)
    {
        var length = reader.Long();
        var tag = reader.String();
        return new StoredValue(reader.Bytes(), length, tag);
    }

    private static void WriteMerge(WireWriter writer, MergeShard merge)
    {
        writer.String(merge.Prefix);
        writer.String(merge.Name);
        writer.Int(merge.Layout.ChunkCount);
        writer.Byte((byte)merge.Layout.IndexLocation);
        writer.Byte(merge.Layout.IndexChecksum ? (byte)1 : (byte)0);
        writer.Byte(merge.Layout.IndexBigEndian ? (byte)1 : (byte)0);
        writer.Int(merge.Chunks.Count);
        foreach (var chunk in merge.Chunks)
        {
            writer.Int(chunk.Index);
            if (chunk.Bytes is { } bytes)
            {
                writer.Bytes(bytes);
            }
            else
            {
                writer.Int(-1);
            }
        }
    }

    private static MergeShard ReadMerge(WireReader reader)
    {
        var prefix = reader.String();
        var name = reader.String();
        ShardLayout layout;
        try
        {
            layout = new ShardLayout(reader.Int(), (ShardIndexLocation)reader.Byte(), reader.Byte() != 0, reader.Byte() != 0);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SerializationException($"a shard merge of {KeyRules.Quote(KeyRules.Join(prefix, name))} has an invalid layout on the wire: {e.Message}", e);
        }

        var chunks = new ShardChunk[reader.Int()];
        for (var i = 0; i < chunks.Length; i++)
        {
            var index = reader.Int();
            chunks[i] = new ShardChunk(index, reader.TransientBytes());
        }

        return new MergeShard(prefix, name, layout, chunks);
    }

    private static void WriteValuesRead(WireWriter writer, ValuesRead read)
    {
        writer.Int(read.Deferred.Count);
        foreach (var slot in read.Deferred)
        {
            writer.Int(slot);
        }

        writer.Int(read.Values.Count);
        foreach (var value in read.Values)
        {
            writer.Int(value is null ? -1 : 0);
            if (value is not null)
            {
                writer.Bytes(value);
            }
        }
    }

    private static ValuesRead ReadValuesRead(WireReader reader)
    {
        var deferred = new int[reader.Int()];
        for (var i = 0; i < deferred.Length; i++)
        {
            deferred[i] = reader.Int();
        }

        var values = new ByteBuffer?[reader.Int()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.Int() < 0 ? null : reader.Bytes();
        }

        return new ValuesRead(values, deferred);
    }

    private static void WriteCondition(WireWriter writer, WriteCondition condition)
    {
        if (condition == Actors.WriteCondition.None)
        {
            writer.Byte(NoCondition);
        }
        else if (condition == Actors.WriteCondition.IfAbsent)
        {
            writer.Byte(IfAbsentCondition);
        }
        else if (condition.MatchTags is { } tags)
        {
            writer.Byte(IfMatchCondition);
            writer.Int(tags.Count);
            foreach (var tag in tags)
            {
                writer.String(tag);
            }
        }
        else
        {
            throw new ArgumentException($"unknown write condition {condition}", nameof(condition));
        }
    }

    private static WriteCondition ReadCondition(WireReader reader)
    {
        switch (reader.Byte())
        {
            case NoCondition:
                return Actors.WriteCondition.None;
            case IfAbsentCondition:
                return Actors.WriteCondition.IfAbsent;
            case IfMatchCondition:
                var tags = new string[reader.Int()];
                for (var i = 0; i < tags.Length; i++)
                {
                    tags[i] = reader.String();
                }

                return Actors.WriteCondition.IfMatch(tags);
            default:
                throw new SerializationException("unknown write condition on the wire");
        }
    }
}
