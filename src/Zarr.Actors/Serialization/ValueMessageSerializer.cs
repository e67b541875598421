using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>
/// Serializes the messages that carry value bytes. The bytes are written raw after a small header,
/// and read back as a buffer over the received array (no second copy).
/// </summary>
public sealed class ValueMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string ValueManifest = "v";
    private const string PutManifest = "p";
    private const string ValuesReadManifest = "r";
    private const string PieceManifest = "pp";

    private const byte NoCondition = 0;
    private const byte IfAbsentCondition = 1;
    private const byte IfMatchCondition = 2;

    public override int Identifier => 4_181_201;

    public override string Manifest(object o) => o switch
    {
        ByteBuffer => ValueManifest,
        PutValue => PutManifest,
        ValuesRead => ValuesReadManifest,
        PutValuePiece => PieceManifest,
        _ => throw new ArgumentException($"{nameof(ValueMessageSerializer)} cannot serialize {o.GetType()}", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        if (obj is ByteBuffer value)
        {
            return value.ToArray();
        }

        // Twice through the same encoder: once to count, once into an array of exactly that size,
        // so a value's bytes are copied once on their way to the wire.
        var counter = new WireWriter(null);
        Encode(counter, obj);
        var writer = new WireWriter(new byte[counter.Position]);
        Encode(writer, obj);
        return writer.Target!;
    }

    private static void Encode(WireWriter writer, object obj)
    {
        switch (obj)
        {
            case PutValue put:
                WritePut(writer, put);
                break;
            case PutValuePiece piece:
                writer.String(piece.Prefix);
                writer.String(piece.TransferId);
                writer.Long(piece.Offset);
                writer.Long(piece.TotalLength);
                writer.Bytes(piece.Piece);
                break;
            case ValuesRead read:
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

                break;
            default:
                throw new ArgumentException($"{nameof(ValueMessageSerializer)} cannot serialize {obj.GetType()}", nameof(obj));
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == ValueManifest)
        {
            return ByteBuffer.FromMemory(bytes);
        }

        var reader = new WireReader(bytes);
        switch (manifest)
        {
            case PutManifest:
                return ReadPut(reader);
            case PieceManifest:
                return new PutValuePiece(reader.String(), reader.String(), reader.Long(), reader.Long(), reader.Bytes());
            case ValuesReadManifest:
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
            default:
                throw new SerializationException($"{nameof(ValueMessageSerializer)} has no manifest '{manifest}'");
        }
    }

    /// <summary>A <see cref="PutValue"/>'s fields, the value raw (relay batches write it the same way).</summary>
    internal static void WritePut(WireWriter writer, PutValue put)
    {
        writer.String(put.Prefix);
        writer.String(put.Name);
        WriteCondition(writer, put.Condition);
        writer.Bytes(put.Value);
    }

    internal static PutValue ReadPut(WireReader reader)
    {
        var prefix = reader.String();
        var name = reader.String();
        var condition = ReadCondition(reader);
        return new PutValue(prefix, name, reader.Bytes(), condition);
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
