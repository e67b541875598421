using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Protocol;
using Zarr.Actors.Serialization;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Cluster;

/// <summary>Every message of the protocol has a serializer of its own and survives the wire.</summary>
public sealed class SerializationTests() : TestKit(NodeConfig.Defaults().WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.port = 0")))
{
    private static readonly ByteBuffer Value = ByteBuffer.FromBytes("value bytes"u8);

    /// <summary>One instance of every message type the owners and the facade exchange.</summary>
    public static IEnumerable<object[]> Messages() => new object[]
    {
        new OwnerLocation(ActorRefs.Nobody),
        new GetValue("a/b", "c", new RangeByteRequest(1, 5)),
        new GetValue("", "c", null),
        new GetValue("a", "c", new SuffixByteRequest(3)),
        new GetValuePiece("a", "c", 4, 10, "\"tag\""),
        new GetValues("a", ["x", "y"], [null, new OffsetByteRequest(2)]),
        new ValueExists("a", "c"),
        new GetValueSize("a", "c"),
        new ListDirectory("a"),
        new LocateOwner("a"),
        new PutValue("a", "c", Value, WriteCondition.None),
        new PutValue("a", "c", Value, WriteCondition.IfAbsent),
        new PutValue("a", "c", Value, WriteCondition.IfMatch(["\"t1\"", "\"t2\""])),
        new PutValuePiece("a", "t", 4, 100, Value),
        new CommitValue("a", "c", "t", WriteCondition.IfAbsent),
        new RemoveValue("a", "c", WriteCondition.IfMatch(["*"])),
        new RemoveAllValues("a"),
        new RegisterChild("a", "b"),
        new UnregisterChild("a", "b"),
        ValueAbsent.Instance,
        Done.Instance,
        ValueExistence.Yes,
        new ValueSize(42),
        WriteResult.Of(WriteOutcome.Replaced),
        new ValuesRead([Value, null], [1]),
        new LargeValue(0, 1 << 30, "\"tag\"", (1L << 30) + 5),
        new GetVersionedValue("a", "c", new OffsetByteRequest(7)),
        new GetValueVersion("a", "c"),
        new ValueVersion(42, "\"tag\""),
        new StoredValue(Value, 99, "\"tag\""),
        new WriteResult(WriteOutcome.Created, "\"tag\""),
        ValueChanged.Instance,
        new DirectoryListing(["k"], ["d"], 11),
        new DirectoryConflict("a/b"),
        new MergeShard("a/c", "0", new ShardLayout(16, ShardIndexLocation.End, true), [new ShardChunk(1, Value), new ShardChunk(3, null), new ShardChunk(15, ByteBuffer.Empty)]),
        new MergeShard("", "s", new ShardLayout(4, ShardIndexLocation.Start, false, IndexBigEndian: true), []),
        new CommitShardMerge("a/c", "0", "t", new ShardLayout(8, ShardIndexLocation.Start, true)),
        Value,
    }.Select(m => new[] { m });

    [Theory(DisplayName = "No message of the protocol falls back to the JSON serializer")]
    [MemberData(nameof(Messages))]
    public void NoJsonFallback(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.False(serializer is NewtonSoftJsonSerializer, $"{message.GetType().Name} would be serialized as JSON");
        Assert.True(serializer is ValueMessageSerializer or ProtocolSerializer,
            $"{message.GetType().Name} is bound to {serializer.GetType().Name}");
    }

    [Theory(DisplayName = "Every message of the protocol reads back equal to what was written")]
    [MemberData(nameof(Messages))]
    public void RoundTrips(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        Assert.Equal(Describe(message), Describe(back));
    }

    [Fact(DisplayName = "An owner's location reads back as the same actor")]
    public void OwnerLocationRoundTrips()
    {
        var location = new OwnerLocation(TestActor);
        var serializer = Sys.Serialization.FindSerializerFor(location);
        var back = Sys.Serialization.Deserialize(serializer.ToBinary(location), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, location));
        Assert.Equal(TestActor, Assert.IsType<OwnerLocation>(back).Owner);
    }

    public static TheoryData<Exception> Failures() => new()
    {
        new InvalidKeyException("set: invalid key \"a\": it is a directory"),
        new ReadOnlyStoreException("store was opened in read-only mode and does not support writing (set \"a\")"),
        new StoreUnavailableException("get \"a\": no answer"),
        new Zarr.Actors.Testing.UnexpectedBufferTypeException("set \"a\": expected a TestBuffer"),
        new KeyNotFoundException("getsize: key \"a\" not found"),
        new IOException("cannot write"),
        new ShardFormatException("shard \"a/c/0\" is corrupt: the crc32c of its index is 0x00000000, but its index bytes give 0x1234abcd"),
        new ArgumentException("merge_shard \"a/c/0\": inner chunk 16 is outside a shard of 16 inner chunks"),
    };

    [Theory(DisplayName = "A failure reply keeps its exception's type and message across the wire")]
    [MemberData(nameof(Failures))]
    public void FailuresSurviveTheWire(Exception cause)
    {
        var failure = new Status.Failure(cause);
        var serializer = Sys.Serialization.FindSerializerFor(failure);
        var back = (Status.Failure)Sys.Serialization.Deserialize(serializer.ToBinary(failure), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, failure));
        Assert.NotNull(back.Cause);
        Assert.Equal(cause.GetType(), back.Cause.GetType());
        Assert.Equal(cause.Message, back.Cause.Message);
    }

    [Fact(DisplayName = "Hyperion reads back only the protocol's own types: anything else from the wire is refused")]
    public void ForeignTypesAreRefused()
    {
        var serializer = Assert.IsType<ProtocolSerializer>(Sys.Serialization.FindSerializerFor(Done.Instance));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(serializer.ToBinary(new NotPartOfTheProtocol("payload")), typeof(object)));
        Assert.IsType<GetValue>(serializer.FromBinary(serializer.ToBinary(new GetValue("a", "b", null)), typeof(object)));
    }

    private sealed record NotPartOfTheProtocol(string Text);

    [Fact(DisplayName = "Every protocol type is covered by the round-trip list")]
    public void EveryTypeIsCovered()
    {
        var covered = Messages().Select(m => m[0].GetType()).ToHashSet();
        var protocol = typeof(IPrefixMessage).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && (typeof(IProtocolMessage).IsAssignableFrom(t) || typeof(IValueMessage).IsAssignableFrom(t)));
        Assert.Equal([], protocol.Where(t => !covered.Contains(t)).Select(t => t.FullName));
    }

    [Fact(DisplayName = "Every value-carrying message has exactly one wire format, under a manifest of its own")]
    public void EveryValueMessageHasOneFormat()
    {
        var carrying = typeof(IPrefixMessage).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && typeof(IValueMessage).IsAssignableFrom(t))
            .OrderBy(t => t.FullName)
            .ToList();
        Assert.Equal(carrying, ValueMessageFormats.Formats.Select(f => f.Type).OrderBy(t => t.FullName));
        Assert.Equal(ValueMessageFormats.Formats.Count, ValueMessageFormats.Formats.Select(f => f.Manifest).Distinct().Count());
    }

    [Fact(DisplayName = "A value's bytes are read back without a second copy")]
    public void ValuesAreNotCopiedTwice()
    {
        var serializer = (ValueMessageSerializer)Sys.Serialization.FindSerializerFor(Value);
        var bytes = serializer.ToBinary(new PutValue("a", "b", Value, WriteCondition.None));
        var back = (PutValue)serializer.FromBinary(bytes, serializer.Manifest(new PutValue("a", "b", Value, WriteCondition.None)));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(back.Value.Memory, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact(DisplayName = "A value is read over its message's array unless that would keep over 4 KiB more alive: small values beside a large one are copied out")]
    public void OnlyValuesThatAreMostOfTheirMessageShareIt()
    {
        var large = ByteBuffer.FromBytes(Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray());
        var batch = new RelayedReplies([new Relayed(1, large), new Relayed(2, Value), new Relayed(3, ByteBuffer.Empty)]);
        var serializer = Sys.Serialization.FindSerializerFor(batch);
        var bytes = serializer.ToBinary(batch);
        var back = (RelayedReplies)Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, batch));

        var values = back.Items.Select(i => (ByteBuffer)i.Message).ToArray();
        Assert.Equal(large, values[0]);
        Assert.Equal(Value, values[1]);
        Assert.Equal(0, values[2].Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(values[0].Memory, out var shared));
        Assert.Same(bytes, shared.Array);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(values[1].Memory, out var own));
        Assert.Equal(Value.Length, own.Array!.Length);
    }

    [Fact(DisplayName = "Relay batches read back item by item, ids kept, values of a small batch without a second copy")]
    public void RelayBatchesRoundTrip()
    {
        var requests = new RelayedRequests(
        [
            new Relayed(1, new PutValue("a", "c", Value, WriteCondition.IfMatch(["\"t\""]))),
            new Relayed(2, new GetValue("a", "c", new SuffixByteRequest(3))),
            new Relayed(3, new GetValue("", "c", null)),
            new Relayed(4, new GetValue("a/b", "c", new RangeByteRequest(2, 9))),
            new Relayed(5, new GetValue("a", "ü", new OffsetByteRequest(4))),
            new Relayed(6, new PutValue("a", "d", ByteBuffer.Empty, WriteCondition.None)),
            new Relayed(7, new PutValue("a", "e", Value, WriteCondition.IfAbsent)),
            new Relayed(8, new GetVersionedValue("a", "c", new RangeByteRequest(0, 100))),
            new Relayed(9, new GetValueVersion("a", "c")),
            new Relayed(long.MaxValue, new LocateOwner("")),
            new Relayed(8, new MergeShard("a/c", "0", new ShardLayout(4, ShardIndexLocation.End, true), [new ShardChunk(2, Value), new ShardChunk(0, null)])),
            new Relayed(9, new CommitShardMerge("a/c", "0", "t", new ShardLayout(4, ShardIndexLocation.End, true))),
        ]);
        var replies = new RelayedReplies(
        [
            new Relayed(1, Value),
            new Relayed(2, WriteResult.Of(WriteOutcome.Created)),
            new Relayed(3, ValueAbsent.Instance),
            new Relayed(4, new ValuesRead([Value, null], [1])),
            new Relayed(5, ByteBuffer.Empty),
            new Relayed(6, WriteResult.Of(WriteOutcome.PreconditionFailed)),
            new Relayed(9, NotRelayed.Instance),
            new Relayed(7, ValueExistence.Yes),
            new Relayed(8, new DirectoryListing(["k"], ["d"], 11)),
            new Relayed(10, new WriteResult(WriteOutcome.Replaced, "\"t\"")),
            new Relayed(11, new StoredValue(Value, 1234, "\"t\"")),
            new Relayed(12, new ValueVersion(1234, "\"t\"")),
        ]);

        foreach (var batch in new object[] { requests, replies })
        {
            var serializer = Assert.IsType<RelaySerializer>(Sys.Serialization.FindSerializerFor(batch));
            var bytes = serializer.ToBinary(batch);
            var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, batch));
            Assert.Equal(batch.GetType(), back.GetType());
            var (sent, received) = batch is RelayedRequests q
                ? (q.Items, ((RelayedRequests)back).Items)
                : (((RelayedReplies)batch).Items, ((RelayedReplies)back).Items);
            Assert.Equal(sent.Select(i => (i.Id, Describe(i.Message))), received.Select(i => (i.Id, Describe(i.Message))));
            if (back is RelayedReplies read)
            {
                Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(((ByteBuffer)read.Items[0].Message).Memory, out var segment));
                Assert.Same(bytes, segment.Array);
            }
        }
    }

    [Fact(DisplayName = "A failure relayed back keeps its exception's type and message")]
    public void RelayedFailuresKeepTheirType()
    {
        var batch = new RelayedReplies([new Relayed(7, new Status.Failure(new InvalidKeyException("set: invalid key \"a\": it is a directory")))]);
        var serializer = Sys.Serialization.FindSerializerFor(batch);
        var back = (RelayedReplies)Sys.Serialization.Deserialize(serializer.ToBinary(batch), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, batch));
        var failure = Assert.IsType<Status.Failure>(Assert.Single(back.Items).Message);
        Assert.IsType<InvalidKeyException>(failure.Cause);
        Assert.Equal("set: invalid key \"a\": it is a directory", failure.Cause.Message);
    }

    /// <summary>Records compare their lists by reference; compare what they hold instead.</summary>
    private static string Describe(object message) => message switch
    {
        ByteBuffer buffer => "bytes:" + Convert.ToHexString(buffer.Span),
        PutValue p => $"put {p.Prefix} {p.Name} {Describe(p.Value)} {DescribeCondition(p.Condition)}",
        PutValuePiece p => $"piece {p.Prefix} {p.TransferId} {p.Offset} {p.TotalLength} {Describe(p.Piece)}",
        CommitValue c => $"commit {c.Prefix} {c.Name} {c.TransferId} {DescribeCondition(c.Condition)}",
        RemoveValue r => $"remove {r.Prefix} {r.Name} {DescribeCondition(r.Condition)}",
        GetValues g => $"gets {g.Prefix} {string.Join(",", g.Names)} {string.Join(",", g.Ranges)}",
        StoredValue v => $"stored {Describe(v.Value)} {v.Length} {v.Tag}",
        ValuesRead v => $"read {string.Join(",", v.Values.Select(x => x is null ? "null" : Describe(x)))} {string.Join(",", v.Deferred)}",
        DirectoryListing l => $"listing {string.Join(",", l.Keys)} {string.Join(",", l.Children)} {l.KeyBytes}",
        MergeShard m => $"merge {m.Prefix} {m.Name} {m.Layout} {string.Join(",", m.Chunks.Select(c => $"{c.Index}:{(c.Bytes is null ? "null" : Describe(c.Bytes))}"))}",
        _ => message.ToString()!,
    };

    private static string DescribeCondition(WriteCondition condition) =>
        condition == WriteCondition.None ? "none"
        : condition == WriteCondition.IfAbsent ? "absent"
        : "match:" + string.Join(",", condition.MatchTags!);
}
