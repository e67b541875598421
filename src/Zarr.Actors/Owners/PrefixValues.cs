using Akka.Actor;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Owners;

/// <summary>
/// The key/value side of an owner: reads, sizes and listings of its own keys, and writes under a
/// <see cref="WriteCondition"/>, in the order the contract checks a write (the name, the key-versus-directory
/// rule, the condition, then the parent's registration for a first key).
/// </summary>
internal sealed class PrefixValues(string prefix, IPrefixStorage storage, ChildRegistry children, LargeValueTransfers transfers, ILoggingAdapter log)
{
    public void Get(GetValue message, IActorRef sender)
    {
        if (!storage.TryGet(message.Name, out var value))
        {
            sender.Tell(ValueAbsent.Instance);
            return;
        }

        var slice = ByteRequest.Slice(value, message.Range);
        if (slice.Length > WireLimits.PieceSize && IsRemote(sender))
        {
            sender.Tell(transfers.Offer(message.Name, value, message.Range, slice.Length));
            return;
        }

        sender.Tell(slice);
    }

    public void GetMany(GetValues message, IActorRef sender)
    {
        var values = new ByteBuffer?[message.Names.Count];
        var deferred = new List<int>();
        var budget = IsRemote(sender) ? WireLimits.PieceSize : long.MaxValue;
        for (var i = 0; i < values.Length; i++)
        {
            if (!storage.TryGet(message.Names[i], out var value))
            {
                continue;
            }

            var slice = ByteRequest.Slice(value, message.Ranges[i]);
            if (slice.Length > budget)
            {
                // Left for the caller to read alone, so no reply outgrows a frame.
                deferred.Add(i);
                continue;
            }

            budget -= slice.Length;
            values[i] = slice;
        }

        sender.Tell(new ValuesRead(values, deferred));
    }

    public void Exists(ValueExists message, IActorRef sender) =>
        sender.Tell(storage.Contains(message.Name) ? ValueExistence.Yes : ValueExistence.No);

    public void Size(GetValueSize message, IActorRef sender)
    {
        var size = storage.SizeOf(message.Name);
        sender.Tell(size >= 0
            ? new ValueSize(size)
            : new Status.Failure(StoreErrors.KeyNotFound(OperationNames.GetSize, KeyOf(message.Name))));
    }

    public DirectoryListing Listing() => new(storage.Names.ToArray(), storage.Children.ToArray(), storage.TotalBytes);

    public void Put(PutValue message, IActorRef sender)
    {
        if (RefuseInvalidName(message.Operation, message.Name, sender))
        {
            return;
        }

        if (storage.Children.Contains(message.Name))
        {
            sender.Tell(new Status.Failure(StoreErrors.KeyIsDirectory(message.Operation, KeyOf(message.Name))));
            return;
        }

        if (!IsMet(message.Condition, message.Name, out var exists))
        {
            sender.Tell(WriteResult.Of(WriteOutcome.PreconditionFailed));
            return;
        }

        if (exists || !children.PrefixIsEmpty || children.IsRoot)
        {
            Write(message, sender);
            return;
        }

        // The first key under this prefix: the parent must know the directory before the write is acknowledged.
        children.RegisterThen(message.Operation, KeyOf(message.Name), sender, replyTo => Write(message, replyTo));
    }

    public void Remove(RemoveValue message, IActorRef sender)
    {
        if (RefuseInvalidName(OperationNames.Delete, message.Name, sender))
        {
            return;
        }

        if (!IsMet(message.Condition, message.Name, out var exists))
        {
            sender.Tell(WriteResult.Of(WriteOutcome.PreconditionFailed));
            return;
        }

        if (!exists)
        {
            sender.Tell(WriteResult.Of(WriteOutcome.Absent));
            return;
        }

        transfers.Forget(message.Name);
        storage.Remove(message.Name);
        children.ReplyOnceParentKnows(WriteResult.Of(WriteOutcome.Deleted), sender);
    }

    /// <summary>Removes every key this owner holds (its share of a DeleteDir).</summary>
    public void RemoveAll(IActorRef sender)
    {
        transfers.ForgetAll();
        foreach (var name in storage.Names.ToList())
        {
            storage.Remove(name);
        }

        children.ReplyOnceParentKnows(Done.Instance, sender);
    }

    private void Write(PutValue message, IActorRef sender)
    {
        transfers.Forget(message.Name);
        try
        {
            if (message.Condition == WriteCondition.IfAbsent)
            {
                // The backend re-checks: on disk this is an exclusive create, safe even across processes.
                sender.Tell(WriteResult.Of(storage.TryAdd(message.Name, message.Value) ? WriteOutcome.Created : WriteOutcome.PreconditionFailed));
                return;
            }

            var created = storage.Put(message.Name, message.Value);
            sender.Tell(WriteResult.Of(created ? WriteOutcome.Created : WriteOutcome.Replaced));
        }
        catch (Exception e)
        {
            log.Error(e, "{0} {1} failed", message.Operation, KeyRules.Quote(KeyOf(message.Name)));
            sender.Tell(new Status.Failure(e));
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="condition"/> holds for <paramref name="name"/>. The value is read only for a
    /// compare-and-set: a plain set or delete, or a set-if-absent, needs to know only whether the name
    /// exists (on disk a read is a whole file).
    /// </summary>
    private bool IsMet(WriteCondition condition, string name, out bool exists)
    {
        if (!condition.ComparesValue)
        {
            exists = storage.Contains(name);
            return condition.IsMetBy(exists ? ByteBuffer.Empty : null);
        }

        exists = storage.TryGet(name, out var current);
        return condition.IsMetBy(exists ? current : null);
    }

    /// <summary>
    /// Names arrive from other nodes too; one that is not a single valid segment is refused before it
    /// can reach a backend (on disk, a name is a path).
    /// </summary>
    public bool RefuseInvalidName(string operation, string name, IActorRef sender)
    {
        var key = KeyOf(name);
        try
        {
            KeyRules.ValidateKey(key, operation);
            if (name.Contains('/'))
            {
                throw StoreErrors.InvalidKey(operation, key, $"the name {KeyRules.Quote(name)} is not a single segment of {KeyRules.Quote(prefix)}");
            }

            return false;
        }
        catch (InvalidKeyException e)
        {
            sender.Tell(new Status.Failure(e));
            return true;
        }
    }

    /// <summary>Whether a reply to <paramref name="sender"/> crosses the network (and so a frame limit).</summary>
    private static bool IsRemote(IActorRef sender) => sender.Path.Address.HasGlobalScope;

    private string KeyOf(string name) => KeyRules.Join(prefix, name);
}
