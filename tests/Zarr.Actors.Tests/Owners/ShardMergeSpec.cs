using Akka.Actor;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Backends;
using Zarr.Actors.Owners;
using Zarr.Actors.Protocol;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Owners;

/// <summary>
/// The owner's shard merge, driven by probes: what it refuses (and that it then changes nothing), when the
/// parent hears of the prefix, and merges whose inner chunks arrived in pieces.
/// </summary>
public sealed class ShardMergeSpec : TestKit, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly ShardLayout Layout = new(4, ShardIndexLocation.Start, IndexChecksum: true);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "zarr-merge-owner-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Backends => new() { "memory", "disk" };

    private IStorageBackend Backend(string kind) => kind == "memory" ? new MemoryBackend() : new DiskBackend(_dataDirectory);

    private IActorRef StartOwner(string prefix, IStorageBackend backend, IActorRef parent) =>
        Sys.ActorOf(PrefixOwner.Props(prefix, backend, Timeout, parent));

    private static ShardChunk Chunk(int index, params byte[] bytes) => new(index, ByteBuffer.FromBytes(bytes));

    private ByteBuffer Stored(IActorRef owner, string prefix, string name)
    {
        owner.Tell(new GetValue(prefix, name, null));
        return ExpectMsg<ByteBuffer>();
    }

    [Theory(DisplayName = "Bad arguments are refused with ArgumentException and leave the shard as it was")]
    [MemberData(nameof(Backends))]
    public void BadArgumentsChangeNothing(string backend)
    {
        var owner = StartOwner(string.Empty, Backend(backend), CreateTestProbe().Ref);
        owner.Tell(new MergeShard(string.Empty, "s", Layout, [Chunk(1, 1)]));
        Assert.Equal(WriteOutcome.Created, ExpectMsg<WriteResult>().Outcome);
        var before = Stored(owner, string.Empty, "s");

        // Not through the facade, which checks first: as from another node, or a bug.
        owner.Tell(new MergeShard(string.Empty, "s", Layout, [Chunk(4, 4)]));
        var outside = Assert.IsType<ArgumentException>(ExpectMsg<Status.Failure>().Cause);
        Assert.StartsWith("merge_shard \"s\": inner chunk 4 is outside a shard of 4", outside.Message, StringComparison.Ordinal);
        owner.Tell(new MergeShard(string.Empty, "s", Layout, [Chunk(2, 2), new ShardChunk(2, null)]));
        Assert.Contains("twice", Assert.IsType<ArgumentException>(ExpectMsg<Status.Failure>().Cause).Message);
        owner.Tell(new MergeShard(string.Empty, "s", Layout with { ChunkCount = 0 }, [Chunk(0, 0)]));
        Assert.Contains("1 to", Assert.IsType<ArgumentException>(ExpectMsg<Status.Failure>().Cause).Message);
        owner.Tell(new MergeShard(string.Empty, "../s", Layout, [Chunk(0, 0)]));
        Assert.Contains("merge_shard", Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause).Message);

        Assert.Equal(before, Stored(owner, string.Empty, "s"));
    }

    [Theory(DisplayName = "A merge into a corrupt shard fails with ShardFormatException; the shard stays as it was")]
    [MemberData(nameof(Backends))]
    public void CorruptShardStays(string backend)
    {
        var owner = StartOwner(string.Empty, Backend(backend), CreateTestProbe().Ref);
        var corrupt = ShardFormat.Build(Layout, [ByteBuffer.FromBytes([1, 2]), null, null, null])!.ToArray();
        corrupt[3] ^= 0xff;    // an index byte: its crc32c no longer matches
        owner.Tell(new PutValue(string.Empty, "s", ByteBuffer.FromBytes(corrupt), WriteCondition.None));
        ExpectMsg<WriteResult>();

        owner.Tell(new MergeShard(string.Empty, "s", Layout, [Chunk(3, 3)]));
        var error = Assert.IsType<ShardFormatException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Contains("\"s\"", error.Message);
        Assert.Equal(ByteBuffer.FromBytes(corrupt), Stored(owner, string.Empty, "s"));
    }

    [Fact(DisplayName = "A first merge registers the prefix with its parent before it is acknowledged, and nothing else is handled meanwhile")]
    public void FirstMergeRegistersFirst()
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a/c", new MemoryBackend(), parent.Ref);
        owner.Tell(new MergeShard("a/c", "0", Layout, [Chunk(0, 7)]));
        Assert.Equal(new RegisterChild("a", "c"), parent.ExpectMsg<RegisterChild>());
        owner.Tell(new MergeShard("a/c", "0", Layout, [Chunk(1, 8)]));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        parent.Reply(Done.Instance);
        Assert.Equal(WriteOutcome.Created, ExpectMsg<WriteResult>().Outcome);
        Assert.Equal(WriteOutcome.Replaced, ExpectMsg<WriteResult>().Outcome);
        var shard = Stored(owner, "a/c", "0");
        var index = ShardFormat.ReadIndex("a/c/0", shard, Layout);
        Assert.Equal(ByteBuffer.FromBytes([7]), ShardFormat.InnerChunk(shard, index, 0));
        Assert.Equal(ByteBuffer.FromBytes([8]), ShardFormat.InnerChunk(shard, index, 1));
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(DisplayName = "A first merge under a name that is a key above is refused, and nothing is stored")]
    public void ConflictWithParentKey()
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a/c", new MemoryBackend(), parent.Ref);
        owner.Tell(new MergeShard("a/c", "0", Layout, [Chunk(0, 7)]));
        parent.ExpectMsg<RegisterChild>();
        parent.Reply(new DirectoryConflict("a/c"));
        var error = Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Contains("merge_shard", error.Message);
        owner.Tell(new ValueExists("a/c", "0"));
        ExpectMsg(ValueExistence.No);
    }

    [Fact(DisplayName = "A merge onto a name that is a directory is refused")]
    public void DirectoryNameRefused()
    {
        var owner = StartOwner(string.Empty, new MemoryBackend(), CreateTestProbe().Ref);
        owner.Tell(new RegisterChild(string.Empty, "dir"));
        ExpectMsg<Done>();
        owner.Tell(new MergeShard(string.Empty, "dir", Layout, [Chunk(0, 1)]));
        Assert.Contains("directory", Assert.IsType<InvalidKeyException>(ExpectMsg<Status.Failure>().Cause).Message);
    }

    [Theory(DisplayName = "A merge that leaves no inner chunk deletes the key, and the last key's prefix unregisters before the merge is acknowledged")]
    [MemberData(nameof(Backends))]
    public void EmptyResultDeletes(string backend)
    {
        var parent = CreateTestProbe();
        var owner = StartOwner("a", Backend(backend), parent.Ref);
        owner.Tell(new MergeShard("a", "s", Layout, [Chunk(2, 2)]));
        parent.ExpectMsg<RegisterChild>();
        parent.Reply(Done.Instance);
        ExpectMsg<WriteResult>();

        owner.Tell(new MergeShard("a", "s", Layout, [new ShardChunk(2, null)]));
        Assert.Equal(new UnregisterChild(string.Empty, "a"), parent.ExpectMsg<UnregisterChild>());
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        parent.Reply(Done.Instance);
        Assert.Equal(new WriteResult(WriteOutcome.Deleted, null), ExpectMsg<WriteResult>());
        owner.Tell(new ValueExists("a", "s"));
        ExpectMsg(ValueExistence.No);

        // Nothing there, nothing left: no write, and the parent hears nothing.
        owner.Tell(new MergeShard("a", "s", Layout, [new ShardChunk(0, null)]));
        Assert.Equal(new WriteResult(WriteOutcome.Absent, null), ExpectMsg<WriteResult>());
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(DisplayName = "A merge whose inner chunks arrived in pieces is merged by its commit, all at once")]
    public void CommittedPiecesMerge()
    {
        var owner = StartOwner(string.Empty, new MemoryBackend(), CreateTestProbe().Ref);
        owner.Tell(new MergeShard(string.Empty, "s", Layout, [Chunk(0, 9), Chunk(3, 9)]));
        ExpectMsg<WriteResult>();

        var packed = PackedShardChunks.Pack([Chunk(1, 1, 1), new ShardChunk(3, null), Chunk(2, 2)]);
        owner.Tell(new PutValuePiece(string.Empty, "t", 0, packed.Length, packed[..10]));
        owner.Tell(new PutValuePiece(string.Empty, "t", 10, packed.Length, packed[10..]));
        ExpectMsg<Done>();
        ExpectMsg<Done>();
        owner.Tell(new CommitShardMerge(string.Empty, "s", "t", Layout));
        var merged = ExpectMsg<WriteResult>();
        Assert.Equal(WriteOutcome.Replaced, merged.Outcome);
        Assert.NotNull(merged.Tag);

        var shard = Stored(owner, string.Empty, "s");
        var index = ShardFormat.ReadIndex("s", shard, Layout);
        Assert.Equal(ByteBuffer.FromBytes([9]), ShardFormat.InnerChunk(shard, index, 0));
        Assert.Equal(ByteBuffer.FromBytes([1, 1]), ShardFormat.InnerChunk(shard, index, 1));
        Assert.Equal(ByteBuffer.FromBytes([2]), ShardFormat.InnerChunk(shard, index, 2));
        Assert.True(index.IsEmpty(3));
    }

    [Fact(DisplayName = "A commit whose pieces did not all arrive, or do not unpack, merges nothing")]
    public void IncompleteOrMalformedCommitsMergeNothing()
    {
        var owner = StartOwner(string.Empty, new MemoryBackend(), CreateTestProbe().Ref);
        var packed = PackedShardChunks.Pack([Chunk(1, 1, 1)]);
        owner.Tell(new PutValuePiece(string.Empty, "half", 0, packed.Length, packed[..4]));
        ExpectMsg<Done>();
        owner.Tell(new CommitShardMerge(string.Empty, "s", "half", Layout));
        Assert.IsType<StoreUnavailableException>(ExpectMsg<Status.Failure>().Cause);

        var malformed = ByteBuffer.FromBytes([5, 0, 0, 0, 1, 2]);
        owner.Tell(new PutValuePiece(string.Empty, "bad", 0, malformed.Length, malformed));
        ExpectMsg<Done>();
        owner.Tell(new CommitShardMerge(string.Empty, "s", "bad", Layout));
        var error = Assert.IsType<ArgumentException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Contains("\"s\"", error.Message);

        owner.Tell(new ValueExists(string.Empty, "s"));
        ExpectMsg(ValueExistence.No);
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
