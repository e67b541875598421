using Akka.Actor;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Owners;

/// <summary>
/// Shard merges: the owner reads the stored shard, puts the given inner chunks into it and stores the result
/// (or deletes the key when no inner chunk is left) within one message, so concurrent merges into one shard
/// never lose an inner chunk. Checked as a set is (the name, the key-versus-directory rule), then the merge
/// itself (bad arguments, a corrupt stored shard: refused, the shard unchanged), then the parent's
/// registration for a first key, as <see cref="PrefixValues"/> does for a write.
/// </summary>
internal sealed class ShardMerges(string prefix, IPrefixStorage storage, PrefixValues values, ChildRegistry children,
    LargeValueTransfers transfers, ILoggingAdapter log)
{
    public void Merge(MergeShard message, IActorRef sender) => Merge(message.Name, message.Layout, message.Chunks, sender);

    /// <summary>A merge whose inner chunks arrived in pieces: merged only once every piece is there.</summary>
    public void Commit(CommitShardMerge message, IActorRef sender)
    {
        if (transfers.TakeWhole(message.TransferId, OperationNames.MergeShard, message.Name, sender) is not { } packed)
        {
            return;
        }

        IReadOnlyList<ShardChunk> chunks;
        try
        {
            chunks = PackedShardChunks.Unpack(packed);
        }
        catch (ArgumentException e)
        {
            sender.Tell(new Status.Failure(new ArgumentException($"{OperationNames.MergeShard} {KeyRules.Quote(KeyOf(message.Name))}: {e.Message}", e)));
            return;
        }

        Merge(message.Name, message.Layout, chunks, sender);
    }

    private void Merge(string name, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, IActorRef sender)
    {
        if (values.RefuseInvalidName(OperationNames.MergeShard, name, sender))
        {
            return;
        }

        var key = KeyOf(name);
        if (storage.Children.Contains(name))
        {
            sender.Tell(new Status.Failure(StoreErrors.KeyIsDirectory(OperationNames.MergeShard, key)));
            return;
        }

        var current = storage.Read(name, range: null);
        var exists = current is not null;
        ByteBuffer? merged;
        try
        {
            merged = ShardFormat.Merge(key, current, Checked(layout), chunks);
        }
        catch (ShardFormatException e)
        {
            sender.Tell(new Status.Failure(e));
            return;
        }
        catch (ArgumentException e)
        {
            // Without a parameter name: one that crosses the wire comes back with it appended twice.
            sender.Tell(new Status.Failure(new ArgumentException($"{OperationNames.MergeShard} {KeyRules.Quote(key)}: {e.Message}")));
            return;
        }

        if (merged is null)
        {
            Empty(name, exists, sender);
        }
        else if (exists || !children.PrefixIsEmpty || children.IsRoot)
        {
            Store(name, merged, sender);
        }
        else
        {
            // The first key under this prefix: the parent must know the directory before the merge is acknowledged.
            children.RegisterThen(OperationNames.MergeShard, key, sender, replyTo => Store(name, merged, replyTo));
        }
    }

    private void Store(string name, ByteBuffer merged, IActorRef sender)
    {
        try
        {
            var written = storage.Put(name, merged);
            sender.Tell(written);
        }
        catch (Exception e)
        {
            log.Error(e, "{0} {1} failed", OperationNames.MergeShard, KeyRules.Quote(KeyOf(name)));
            sender.Tell(new Status.Failure(e));
            throw;
        }
    }

    private void Empty(string name, bool exists, IActorRef sender)
    {
        if (!exists)
        {
            sender.Tell(WriteResult.Of(WriteOutcome.Absent));
            return;
        }

        storage.Remove(name);
        children.ReplyOnceParentKnows(WriteResult.Of(WriteOutcome.Deleted), sender);
    }

    /// <summary>
    /// The layout, checked again: one read from another node's message was never built through its
    /// constructor's checks (Hyperion sets fields), and a bad one must be refused, not crash the merge.
    /// </summary>
    private static ShardLayout Checked(ShardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new ShardLayout(layout.ChunkCount, layout.IndexLocation, layout.IndexChecksum, layout.IndexBigEndian);
    }

    private string KeyOf(string name) => KeyRules.Join(prefix, name);
}
