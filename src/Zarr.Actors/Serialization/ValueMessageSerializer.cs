using Akka.Actor;
using Akka.Serialization;
using Zarr.Buffers;

namespace Zarr.Actors.Serialization;

/// <summary>
/// Serializes the messages that carry value bytes (formats: <see cref="ValueMessageFormats"/>). The bytes
/// are written raw after a small header, and read back as a buffer over the received array (no second copy).
/// </summary>
public sealed class ValueMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    // A bare value is its bytes, nothing else.
    private const string ValueManifest = "v";

    public override int Identifier => 4_181_201;

    public override string Manifest(object o) => o is ByteBuffer ? ValueManifest : FormatOf(o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        if (obj is ByteBuffer value)
        {
            return value.ToArray();
        }

        // Twice through the same encoder: once to count, once into an array of exactly that size,
        // so a value's bytes are copied once on their way to the wire.
        var format = FormatOf(obj);
        var counter = new WireWriter(null);
        format.Write(counter, obj);
        var writer = new WireWriter(new byte[counter.Position]);
        format.Write(writer, obj);
        return writer.Target!;
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        manifest == ValueManifest
            ? ByteBuffer.FromMemory(bytes)
            : ValueMessageFormats.WithManifest(manifest, nameof(ValueMessageSerializer)).Read(new WireReader(bytes));

    private static ValueMessageFormats.Format FormatOf(object message) =>
        ValueMessageFormats.Of(message) ?? throw new ArgumentException($"{nameof(ValueMessageSerializer)} cannot serialize {message.GetType()}", nameof(message));
}
