using Akka.Actor;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Actors.Owners;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Owners;

/// <summary>
/// The entity protocol, driven by probes. A probe stands in for the parent's owner, so the
/// registration handshake is observable message by message.
/// </summary>
public sealed class PrefixOwnerSpec : TestKit, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "zarr-owner-" + Guid.NewGuid().ToString("N"));

    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Expects the answer to a write that stored a value: its outcome, with the new version's tag.</summary>
    private string ExpectWritten(WriteOutcome outcome)
    {
        var result = ExpectMsg<WriteResult>();
        Assert.Equal(outcome, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Tag), $"a {outcome} write answered without a tag");
        return result.Tag!;
    }

    private IActorRef StartOwner(string prefix, IStorageBackend backend, IActorRef parent) =>
        Sys.ActorOf(PrefixOwner.Props(prefix, backend, Timeout, parent));

    public static TheoryData<string> Backends => new() { "memory", "disk" };

    private IStorageBackend Backend(string kind) => kind == "memory" ? new MemoryBackend() : new DiskBackend(_dataDirectory);

    [Theory(DisplayName = "Messages for one prefix are handled in the order they were sent")]
    [MemberData(nameof(Backends))]
    public void MessagesAreHandledInOrder(string backend)
    {
        var owner = StartOwner(string.Empty, Backend(backend), CreateTestProbe().Ref);
        for (var i = 0; i < 200; i++)
        {
            owner.Tell(new PutValue(string.Empty, "k", Bytes($"v{i}"), WriteCondition.None));
            owner.Tell(new GetValue(string.Empty, "k", null));
        }

        ExpectWritten(WriteOutcome.Created);
        Assert.Equal(Bytes("v0"), ExpectMsg<ByteBuffer>());
        for (var i = 1; i < 200; i++)
        {
            ExpectWritten(WriteOutcome.Replaced);
            Assert.Equal(Bytes($"v{i}"), ExpectMsg<ByteBuffer>());
        }
    }

    [Theory(DisplayName = "A bad message gets Status.Failure and the owner keeps its state")]
    [MemberData(nameof(Backends))]
    public void BadMessagesFailAndKeepState(string backend)
    {
        var parent = CreateTestProbe();
        var owner = StartOwner(string.Empty, Backend(backend), parent.Ref);
        owner.Tell(new PutValue(string.Empty, "kept", Bytes("value"), WriteCondition.None));
        ExpectWritten(WriteOutcome.Created);
        owner.Tell(new RegisterChild(string.Empty, "dir"));
        ExpectMsg<Done>();

        // A name that is a directory, names that are not one valid segment, the size of a missing key.
        owner.Tell(new PutValue(string.Empty, "dir", Bytes("x"), WriteCondition.None));
        Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        owner.Tell(new PutValue(string.Empty, "../escape", Bytes("x"), WriteCondition.None));
        Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        owner.Tell(new PutValue(string.Empty, "a/b", Bytes("x"), WriteCondition.None));
        Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        owner.Tell(new RemoveValue(string.Empty, "", WriteCondition.None));
        Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        owner.Tell(new GetValueSize(string.Empty, "missing"));
        var missing = Assert.IsType<KeyNotFoundException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Contains("\"missing\"", missing.Message);

        owner.Tell(new GetValue(string.Empty, "kept", null));
        Assert.Equal(Bytes("value"), ExpectMsg<ByteBuffer>());
        owner.Tell(new ListDirectory(string.Empty));
        var listing = ExpectMsg<DirectoryListing>();
        Assert.Equal(["kept"], listing.Keys);
        Assert.Equal(["dir"], listing.Children);
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(DisplayName = "A first write registers the prefix with its parent before it is acknowledged")]
    public void FirstWriteRegistersBeforeAcknowledging()
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a/b", new MemoryBackend(), parent.Ref);
        owner.Tell(new PutValue("a/b", "0", Bytes("chunk"), WriteCondition.None));

        var register = parent.ExpectMsg<RegisterChild>();
        Assert.Equal(new RegisterChild("a", "b"), register);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Messages that arrive meanwhile wait: the owner answers nothing until the parent has.
        owner.Tell(new GetValue("a/b", "0", null));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        parent.Reply(Done.Instance);
        ExpectWritten(WriteOutcome.Created);
        Assert.Equal(Bytes("chunk"), ExpectMsg<ByteBuffer>());

        // Later writes do not ask again.
        owner.Tell(new PutValue("a/b", "1", Bytes("more"), WriteCondition.None));
        ExpectWritten(WriteOutcome.Created);
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(DisplayName = "A write under a name that is a key above is refused and nothing is stored")]
    public void ConflictWithParentKeyIsRefused()
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a/b", new MemoryBackend(), parent.Ref);
        owner.Tell(new PutValue("a/b", "0", Bytes("chunk"), WriteCondition.None));
        parent.ExpectMsg<RegisterChild>();
        parent.Reply(new DirectoryConflict("a/b"));

        var failure = Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Contains("\"a/b/0\"", failure.Message);
        owner.Tell(new ValueExists("a/b", "0"));
        ExpectMsg(ValueExistence.No);
    }

    [Fact(DisplayName = "The parent refuses a directory whose name is one of its keys")]
    public void ParentRefusesDirectoryNamedLikeAKey()
    {
        var owner = StartOwner(string.Empty, new MemoryBackend(), CreateTestProbe().Ref);
        owner.Tell(new PutValue(string.Empty, "a", Bytes("key"), WriteCondition.None));
        ExpectWritten(WriteOutcome.Created);
        owner.Tell(new RegisterChild(string.Empty, "a"));
        Assert.Equal(new DirectoryConflict("a"), ExpectMsg<DirectoryConflict>());
        owner.Tell(new ListDirectory(string.Empty));
        Assert.Empty(ExpectMsg<DirectoryListing>().Children);
    }

    [Fact(DisplayName = "Deleting the last key unregisters the prefix before the delete is acknowledged")]
    public void LastDeleteUnregistersFirst()
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a", new MemoryBackend(), parent.Ref);
        owner.Tell(new PutValue("a", "x", Bytes("1"), WriteCondition.None));
        parent.ExpectMsg<RegisterChild>();
        parent.Reply(Done.Instance);
        ExpectWritten(WriteOutcome.Created);

        owner.Tell(new RemoveValue("a", "x", WriteCondition.None));
        Assert.Equal(new UnregisterChild(string.Empty, "a"), parent.ExpectMsg<UnregisterChild>());
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        parent.Reply(Done.Instance);
        ExpectMsg(WriteResult.Of(WriteOutcome.Deleted));

        owner.Tell(new RemoveValue("a", "x", WriteCondition.None));
        ExpectMsg(WriteResult.Of(WriteOutcome.Absent));
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(DisplayName = "A parent that never answers fails the write with StoreUnavailableException, not a hang")]
    public void SilentParentFailsTheWrite()
    {
        var parent = CreateTestProbe();
        var owner = Sys.ActorOf(PrefixOwner.Props("a", new MemoryBackend(), TimeSpan.FromMilliseconds(200), parent.Ref));
        owner.Tell(new PutValue("a", "x", Bytes("1"), WriteCondition.None));
        parent.ExpectMsg<RegisterChild>();
        Assert.IsType<StoreUnavailableException>(ExpectMsg<Status.Failure>().Cause);

        // The owner is still alive and serving.
        owner.Tell(new ValueExists("a", "x"));
        ExpectMsg(ValueExistence.No);
    }

    [Theory(DisplayName = "A restarted owner serves exactly what was stored, nothing stale")]
    [MemberData(nameof(Backends))]
    public void RestartKeepsNothingStale(string kind)
    {
        var backend = Backend(kind);
        var parent = CreateTestProbe();
        var first = StartOwner(string.Empty, backend, parent.Ref);
        first.Tell(new PutValue(string.Empty, "kept", Bytes("one"), WriteCondition.None));
        first.Tell(new PutValue(string.Empty, "replaced", Bytes("old"), WriteCondition.None));
        first.Tell(new PutValue(string.Empty, "replaced", Bytes("new"), WriteCondition.None));
        first.Tell(new PutValue(string.Empty, "deleted", Bytes("gone"), WriteCondition.None));
        first.Tell(new RemoveValue(string.Empty, "deleted", WriteCondition.None));
        ReceiveN(5);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);

        // Disk: a fresh backend object proves the values come from the files, not from memory.
        var second = StartOwner(string.Empty, kind == "disk" ? Backend(kind) : backend, parent.Ref);
        second.Tell(new ListDirectory(string.Empty));
        var listing = ExpectMsg<DirectoryListing>();
        Assert.Equal(["kept", "replaced"], listing.Keys.Order());
        Assert.Equal(6, listing.KeyBytes);
        second.Tell(new GetValue(string.Empty, "replaced", null));
        Assert.Equal(Bytes("new"), ExpectMsg<ByteBuffer>());
        second.Tell(new GetValue(string.Empty, "deleted", null));
        ExpectMsg<ValueAbsent>();
    }

    [Fact(DisplayName = "Set-if-absent from many probes at once has exactly one winner")]
    public void SetIfAbsentHasOneWinner()
    {
        var owner = StartOwner(string.Empty, new MemoryBackend(), CreateTestProbe().Ref);
        var probes = Enumerable.Range(0, 32).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < probes.Count; i++)
        {
            owner.Tell(new PutValue(string.Empty, "once", Bytes($"p{i}"), WriteCondition.IfAbsent), probes[i].Ref);
        }

        var outcomes = probes.Select(p => p.ExpectMsg<WriteResult>().Outcome).ToList();
        var winner = Assert.Single(outcomes.Select((o, i) => (o, i)), x => x.o == WriteOutcome.Created);
        owner.Tell(new GetValue(string.Empty, "once", null));
        Assert.Equal(Bytes($"p{winner.i}"), ExpectMsg<ByteBuffer>());
    }

    [Theory(DisplayName = "No write reads the stored value: a compare-and-set compares the tag fixed at write time")]
    [MemberData(nameof(Backends))]
    public void NoWriteReadsTheValue(string kind)
    {
        var backend = new ReadCountingBackend(Backend(kind));
        var owner = StartOwner(string.Empty, backend, CreateTestProbe().Ref);
        owner.Tell(new PutValue(string.Empty, "k", Bytes("one"), WriteCondition.None));
        var one = ExpectWritten(WriteOutcome.Created);
        owner.Tell(new PutValue(string.Empty, "k", Bytes("two"), WriteCondition.None));
        var two = ExpectWritten(WriteOutcome.Replaced);
        owner.Tell(new PutValue(string.Empty, "k", Bytes("lost"), WriteCondition.IfAbsent));
        ExpectMsg(WriteResult.Of(WriteOutcome.PreconditionFailed));
        owner.Tell(new RemoveValue(string.Empty, "other", WriteCondition.None));
        ExpectMsg(WriteResult.Of(WriteOutcome.Absent));

        // Compare-and-set, decided right both ways, from the tags alone.
        owner.Tell(new PutValue(string.Empty, "k", Bytes("three"), WriteCondition.IfMatch([one])));
        ExpectMsg(WriteResult.Of(WriteOutcome.PreconditionFailed));
        owner.Tell(new PutValue(string.Empty, "k", Bytes("three"), WriteCondition.IfMatch([two])));
        var three = ExpectWritten(WriteOutcome.Replaced);
        owner.Tell(new RemoveValue(string.Empty, "k", WriteCondition.IfMatch([two])));
        ExpectMsg(WriteResult.Of(WriteOutcome.PreconditionFailed));
        owner.Tell(new RemoveValue(string.Empty, "k", WriteCondition.IfMatch([three])));
        ExpectMsg(WriteResult.Of(WriteOutcome.Deleted));
        Assert.Equal(0, backend.Reads);

        owner.Tell(new GetValue(string.Empty, "k", null));
        ExpectMsg(ValueAbsent.Instance);
    }

    [Fact(DisplayName = "On disk a range reads only its bytes; sizes, versions, existence and conditions read none")]
    public void DiskRangesReadOnlyTheirBytes()
    {
        const int size = 16 * 1024 * 1024;
        var backend = new DiskBackend(_dataDirectory);
        var owner = StartOwner(string.Empty, backend, CreateTestProbe().Ref);
        var bytes = new byte[size];
        new Random(15).NextBytes(bytes);
        owner.Tell(new PutValue(string.Empty, "big", ByteBuffer.FromMemory(bytes), WriteCondition.None));
        var tag = ExpectWritten(WriteOutcome.Created);
        Assert.Equal(0, backend.BytesRead);

        owner.Tell(new GetValue(string.Empty, "big", new RangeByteRequest(1000, 1100)));
        Assert.Equal(bytes[1000..1100], ExpectMsg<ByteBuffer>().ToArray());
        Assert.Equal(100, backend.BytesRead);

        owner.Tell(new GetVersionedValue(string.Empty, "big", new SuffixByteRequest(10)));
        var stored = ExpectMsg<StoredValue>();
        Assert.Equal(bytes[^10..], stored.Value.ToArray());
        Assert.Equal(((long)size, tag), (stored.Length, stored.Tag));
        Assert.Equal(110, backend.BytesRead);

        owner.Tell(new GetValues(string.Empty, ["big", "big", "missing"], [new RangeByteRequest(0, 20), new OffsetByteRequest(size - 30), null]));
        var read = ExpectMsg<ValuesRead>();
        Assert.Equal(bytes[..20], read.Values[0]!.ToArray());
        Assert.Equal(bytes[^30..], read.Values[1]!.ToArray());
        Assert.Null(read.Values[2]);
        Assert.Equal(160, backend.BytesRead);

        // Past the end: an empty slice with the length, nothing read.
        owner.Tell(new GetVersionedValue(string.Empty, "big", new RangeByteRequest(size + 5, size + 10)));
        Assert.Equal((0, (long)size), (ExpectMsg<StoredValue>().Value.Length, (long)size));

        owner.Tell(new GetValueVersion(string.Empty, "big"));
        ExpectMsg(new ValueVersion(size, tag));
        owner.Tell(new GetValueSize(string.Empty, "big"));
        ExpectMsg(new ValueSize(size));
        owner.Tell(new ValueExists(string.Empty, "big"));
        ExpectMsg(ValueExistence.Yes);
        owner.Tell(new PutValue(string.Empty, "big", Bytes("x"), WriteCondition.IfMatch(["\"stale\""])));
        ExpectMsg(WriteResult.Of(WriteOutcome.PreconditionFailed));
        owner.Tell(new RemoveValue(string.Empty, "big", WriteCondition.IfMatch(["\"stale\""])));
        ExpectMsg(WriteResult.Of(WriteOutcome.PreconditionFailed));
        owner.Tell(new GetValueVersion(string.Empty, "missing"));
        ExpectMsg(ValueAbsent.Instance);
        Assert.Equal(160, backend.BytesRead);
    }

    /// <summary>Counts the value reads of the storages it opens.</summary>
    private sealed class ReadCountingBackend(IStorageBackend inner) : IStorageBackend
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Description => inner.Description;

        public IPrefixStorage Open(string prefix) => new Counting(inner.Open(prefix), this);

        public void Release(string prefix, IPrefixStorage storage) => inner.Release(prefix, ((Counting)storage).Inner);

        private sealed class Counting(IPrefixStorage inner, ReadCountingBackend counter) : IPrefixStorage
        {
            public IPrefixStorage Inner => inner;

            public IEnumerable<string> Names => inner.Names;

            public int Count => inner.Count;

            public long TotalBytes => inner.TotalBytes;

            public IReadOnlySet<string> Children => inner.Children;

            public bool AddChild(string name) => inner.AddChild(name);

            public bool RemoveChild(string name) => inner.RemoveChild(name);

            public bool Contains(string name) => inner.Contains(name);

            public long SizeOf(string name) => inner.SizeOf(name);

            public ValueVersion? VersionOf(string name) => inner.VersionOf(name);

            public ByteBuffer? Read(string name, ByteRequest? range)
            {
                Interlocked.Increment(ref counter._reads);
                return inner.Read(name, range);
            }

            public StoredValue? ReadVersioned(string name, ByteRequest? range)
            {
                Interlocked.Increment(ref counter._reads);
                return inner.ReadVersioned(name, range);
            }

            public WriteResult Put(string name, ByteBuffer value) => inner.Put(name, value);

            public WriteResult TryAdd(string name, ByteBuffer value) => inner.TryAdd(name, value);

            public bool Remove(string name) => inner.Remove(name);
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
