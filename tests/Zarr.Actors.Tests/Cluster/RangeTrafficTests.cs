using Akka.Actor;
using Akka.Serialization;
using Zarr.Actors.Serialization;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>
/// Between nodes, a read of a range moves only that range: every byte the value-carrying serializers write
/// (values alone, and relay batches) is counted while a node reads ranges of a value owned by the other.
/// </summary>
public sealed class RangeTrafficTests
{
    private const string CountingSerializers = """
        akka.actor.serializers.zarr-values = "Zarr.Actors.Tests.Cluster.CountingValueSerializer, Zarr.Actors.Tests"
        akka.actor.serializers.zarr-relay = "Zarr.Actors.Tests.Cluster.CountingRelaySerializer, Zarr.Actors.Tests"
        """;

    [Fact(DisplayName = "Between nodes a range of a value moves only its bytes, for get, versioned get and partial values")]
    public async Task RangesMoveOnlyTheirBytes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2, extraConfig: CountingSerializers);
        var (near, far) = (cluster.Nodes[0].Store, cluster.Nodes[1].Store);
        var key = await ClusterStoreTests.FirstPrefixOwnedElsewhereAsync(near) + "/value";
        var bytes = new byte[3 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        await far.SetAsync(key, ByteBuffer.FromMemory(bytes));

        // The owner is on the far node: the near node's reads cross the wire, and only the range may.
        var before = SerializedBytes.Total;
        Assert.Equal(bytes[1000..1100], (await near.GetAsync(key, byteRange: new RangeByteRequest(1000, 1100)))!.ToArray());
        var stored = (await near.GetVersionedAsync(key, new SuffixByteRequest(200)))!;
        Assert.Equal(bytes[^200..], stored.Value.ToArray());
        Assert.Equal(bytes.Length, stored.Length);
        var partial = await near.GetPartialValuesAsync(null, [(key, new OffsetByteRequest(bytes.Length - 300)), (key, new RangeByteRequest(5, 405))]);
        Assert.Equal(bytes[^300..], partial[0]!.ToArray());
        Assert.Equal(bytes[5..405], partial[1]!.ToArray());
        Assert.Equal(bytes.Length, (await near.GetVersionAsync(key))!.Length);
        var moved = SerializedBytes.Total - before;

        // 1,000 value bytes, plus keys, tags and framing: far below the value's 3 MiB.
        Assert.InRange(moved, 1_000, 16 * 1024);

        // The check itself counts: a whole value read crosses the wire in full.
        before = SerializedBytes.Total;
        Assert.Equal(bytes.Length, (await near.GetAsync(key))!.Length);
        Assert.True(SerializedBytes.Total - before >= bytes.Length, "the whole value's bytes were not counted");
    }
}

/// <summary>Bytes written by the counting serializers of this process.</summary>
internal static class SerializedBytes
{
    private static long _total;

    public static long Total => Interlocked.Read(ref _total);

    public static void Add(int count) => Interlocked.Add(ref _total, count);
}

/// <summary><see cref="ValueMessageSerializer"/>, counting what it writes.</summary>
public sealed class CountingValueSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly ValueMessageSerializer _inner = new(system);

    public override int Identifier => _inner.Identifier;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        SerializedBytes.Add(bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);
}

/// <summary><see cref="RelaySerializer"/>, counting what it writes.</summary>
public sealed class CountingRelaySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly RelaySerializer _inner = new(system);

    public override int Identifier => _inner.Identifier;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        SerializedBytes.Add(bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);
}
