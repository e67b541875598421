using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>
/// Serializes relay batches. The messages that make up nearly all of them (reads, writes, their
/// answers, and "not here") are written field by field: every value-carrying message in the format
/// <see cref="ValueMessageFormats"/> gives it, values raw and read back as buffers over the received array
/// (copied out when small beside the batch, see <see cref="WireReader.Bytes"/>); any other message by the
/// serializer Akka binds to it, so a batch carries exactly what the single messages would.
/// </summary>
public sealed class RelaySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string RequestsManifest = "q";
    private const string RepliesManifest = "a";

    // How an item is written.
    private const byte Serialized = 0;
    private const byte RawValue = 1;
    private const byte Get = 2;
    private const byte Valued = 3;
    private const byte Written = 4;
    private const byte Absent = 5;
    private const byte NotHere = 6;

    private const byte WholeValue = 0;
    private const byte FromTo = 1;
    private const byte FromOffset = 2;
    private const byte LastBytes = 3;

    public override int Identifier => 4_181_202;

    public override string Manifest(object o) => o switch
    {
        RelayedRequests => RequestsManifest,
        RelayedReplies => RepliesManifest,
        _ => throw new ArgumentException($"{nameof(RelaySerializer)} cannot serialize {o.GetType()}", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        var items = obj switch
        {
            RelayedRequests requests => requests.Items,
            RelayedReplies replies => replies.Items,
            _ => throw new ArgumentException($"{nameof(RelaySerializer)} cannot serialize {obj.GetType()}", nameof(obj)),
        };

        // Other messages through their own serializers first; then the batch, counted, then written once.
        var encoded = new (int Serializer, string Manifest, byte[] Bytes)?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (KindOf(items[i].Message) == Serialized)
            {
                var serializer = system.Serialization.FindSerializerFor(items[i].Message);
                encoded[i] = (serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, items[i].Message), serializer.ToBinary(items[i].Message));
            }
        }

        var counter = new WireWriter(null);
        Encode(counter, items, encoded);
        var writer = new WireWriter(new byte[counter.Position]);
        Encode(writer, items, encoded);
        return writer.Target!;
    }

    private static void Encode(WireWriter writer, IReadOnlyList<Relayed> items, (int Serializer, string Manifest, byte[] Bytes)?[] encoded)
    {
        writer.Int(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var message = items[i].Message;
            var kind = KindOf(message);
            writer.Long(items[i].Id);
            writer.Byte(kind);
            switch (message)
            {
                case ByteBuffer value:
                    writer.Bytes(value);
                    break;
                case GetValue get:
                    writer.String(get.Prefix);
                    writer.String(get.Name);
                    WriteRange(writer, get.Range);
                    break;
                case IValueMessage when ValueMessageFormats.Of(message) is { } format:
                    writer.String(format.Manifest);
                    format.Write(writer, message);
                    break;
                case WriteResult result:
                    writer.Byte((byte)result.Outcome);
                    writer.String(result.Tag ?? string.Empty);
                    break;
                case ValueAbsent or NotRelayed:
                    break;
                default:
                    var (serializer, manifest, bytes) = encoded[i]!.Value;
                    writer.Int(serializer);
                    writer.String(manifest);
                    writer.Bytes(bytes);
                    break;
            }
        }
    }

    private static byte KindOf(object message) => message switch
    {
        ByteBuffer => RawValue,
        GetValue => Get,
        IValueMessage when ValueMessageFormats.Of(message) is not null => Valued,
        WriteResult => Written,
        ValueAbsent => Absent,
        NotRelayed => NotHere,
        _ => Serialized,
    };

    private static void WriteRange(WireWriter writer, ByteRequest? range)
    {
        switch (range)
        {
            case null:
                writer.Byte(WholeValue);
                break;
            case RangeByteRequest r:
                writer.Byte(FromTo);
                writer.Long(r.Start);
                writer.Long(r.End);
                break;
            case OffsetByteRequest o:
                writer.Byte(FromOffset);
                writer.Long(o.Offset);
                break;
            case SuffixByteRequest s:
                writer.Byte(LastBytes);
                writer.Long(s.Suffix);
                break;
            default:
                throw new ArgumentException($"unknown byte range {range}", nameof(range));
        }
    }

    private static ByteRequest? ReadRange(WireReader reader) => reader.Byte() switch
    {
        WholeValue => null,
        FromTo => new RangeByteRequest(reader.Long(), reader.Long()),
        FromOffset => new OffsetByteRequest(reader.Long()),
        LastBytes => new SuffixByteRequest(reader.Long()),
        _ => throw new SerializationException("unknown byte range on the wire"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest is not (RequestsManifest or RepliesManifest))
        {
            throw new SerializationException($"{nameof(RelaySerializer)} has no manifest '{manifest}'");
        }

        var reader = new WireReader(bytes);
        var items = new Relayed[reader.Int()];
        for (var i = 0; i < items.Length; i++)
        {
            var id = reader.Long();
            object message = reader.Byte() switch
            {
                RawValue => reader.Bytes(),
                Get => new GetValue(reader.String(), reader.String(), ReadRange(reader)),
                Valued => ValueMessageFormats.WithManifest(reader.String(), nameof(RelaySerializer)).Read(reader),
                Written => ReadWritten(reader),
                Absent => ValueAbsent.Instance,
                NotHere => NotRelayed.Instance,
                Serialized => system.Serialization.Deserialize(ReadMessageBytes(reader, out var serializer, out var itemManifest), serializer, itemManifest),
                var kind => throw new SerializationException($"unknown relayed item kind {kind}"),
            };
            items[i] = new Relayed(id, message);
        }

        return manifest == RequestsManifest ? new RelayedRequests(items) : new RelayedReplies(items);
    }

    private static WriteResult ReadWritten(WireReader reader)
    {
        var outcome = (WriteOutcome)reader.Byte();
        if (!Enum.IsDefined(outcome))
        {
            throw new SerializationException($"unknown write outcome {(int)outcome} on the wire");
        }

        // Outcomes that made no version carry no tag (written as empty: a tag is never empty).
        var tag = reader.String();
        return tag.Length == 0 ? WriteResult.Of(outcome) : new WriteResult(outcome, tag);
    }

    private static byte[] ReadMessageBytes(WireReader reader, out int serializer, out string manifest)
    {
        serializer = reader.Int();
        manifest = reader.String();
        return reader.ByteArray();
    }
}
