using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>
/// Serializes relay batches: each item is written by the serializer Akka binds to its message (so a
/// batch carries exactly what the single messages would), except value buffers, written raw and read
/// back as buffers over the received array, as <see cref="ValueMessageSerializer"/> does.
/// </summary>
public sealed class RelaySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string RequestsManifest = "q";
    private const string RepliesManifest = "a";

    private const byte Serialized = 0;
    private const byte RawValue = 1;
    private const byte ForwardedFlag = 2;

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

        // Each message through its own serializer first; then the batch, counted, then written once.
        var encoded = new (int Serializer, string Manifest, byte[] Bytes)?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Message is not ByteBuffer)
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
            var flags = items[i].Forwarded ? ForwardedFlag : (byte)0;
            writer.Long(items[i].Id);
            if (encoded[i] is { } message)
            {
                writer.Byte((byte)(flags | Serialized));
                writer.Int(message.Serializer);
                writer.String(message.Manifest);
                writer.Bytes(message.Bytes);
            }
            else
            {
                writer.Byte((byte)(flags | RawValue));
                writer.Bytes((ByteBuffer)items[i].Message);
            }
        }
    }

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
            var flags = reader.Byte();
            var message = (flags & RawValue) != 0
                ? reader.Bytes()
                : system.Serialization.Deserialize(ReadMessageBytes(reader, out var serializer, out var itemManifest), serializer, itemManifest);
            items[i] = new Relayed(id, message, (flags & ForwardedFlag) != 0);
        }

        return manifest == RequestsManifest ? new RelayedRequests(items) : new RelayedReplies(items);
    }

    private static byte[] ReadMessageBytes(WireReader reader, out int serializer, out string manifest)
    {
        serializer = reader.Int();
        manifest = reader.String();
        return reader.ByteArray();
    }
}
