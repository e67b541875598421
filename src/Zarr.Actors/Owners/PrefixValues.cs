using Akka.Actor;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Owners;

/// <summary>
/// The key/value side of an owner: reads, sizes, versions and listings of its own keys, and writes under a
/// <see cref="WriteCondition"/>, in the order the contract checks a write (the name, the key-versus-directory
/// rule, the condition, then the parent's registration for a first key). A read reads only the bytes it
/// returns; sizes, versions and conditions read none (tags are fixed at write time).
/// </summary>
internal sealed class PrefixValues(string prefix, IPrefixStorage storage, ChildRegistry children, ILoggingAdapter log)
{
    public void Get(GetValue message, IActorRef sender)
    {
        if (IsRemote(sender) && OfferLarge(message.Name, message.Range, sender))
        {
            return;
        }

        sender.Tell(storage.Read(message.Name, message.Range) is { } slice ? slice : ValueAbsent.Instance);
    }

    public void GetVersioned(GetVersionedValue message, IActorRef sender)
    {
        if (IsRemote(sender) && OfferLarge(message.Name, message.Range, sender))
        {
            return;
        }

        sender.Tell(storage.ReadVersioned(message.Name, message.Range) is { } stored ? stored : ValueAbsent.Instance);
    }

    public void Version(GetValueVersion message, IActorRef sender) =>
        sender.Tell(storage.VersionOf(message.Name) is { } version ? version : ValueAbsent.Instance);

    /// <summary>A piece of a large value read by another node, read from storage again, as long as the version is the one offered.</summary>
    public void ReadPiece(GetValuePiece message, IActorRef sender)
    {
        var piece = message.Start >= 0 && message.Length >= 0 && message.Start <= long.MaxValue - message.Length
            ? storage.ReadVersioned(message.Name, new RangeByteRequest(message.Start, message.Start + message.Length))
            : null;
        sender.Tell(piece is not null && piece.Tag == message.Tag && piece.Value.Length == message.Length
            ? piece.Value
            : ValueChanged.Instance);
    }

    public void GetMany(GetValues message, IActorRef sender)
    {
        var values = new ByteBuffer?[message.Names.Count];
        var deferred = new List<int>();
        var budget = IsRemote(sender) ? WireLimits.PieceSize : long.MaxValue;
        for (var i = 0; i < values.Length; i++)
        {
            var size = storage.SizeOf(message.Names[i]);
            if (size < 0)
            {
                continue;
            }

            var length = SliceLength(size, message.Ranges[i]);
            if (length > budget)
            {
                // Left for the caller to read alone, so no reply outgrows a frame.
                deferred.Add(i);
                continue;
            }

            // Only the slice is read; a value removed behind our back reads as absent.
            values[i] = storage.Read(message.Names[i], message.Ranges[i]);
            budget -= values[i]?.Length ?? 0;
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

        storage.Remove(message.Name);
        children.ReplyOnceParentKnows(WriteResult.Of(WriteOutcome.Deleted), sender);
    }

    /// <summary>Removes every key this owner holds (its share of a DeleteDir).</summary>
    public void RemoveAll(IActorRef sender)
    {
        foreach (var name in storage.Names.ToList())
        {
            storage.Remove(name);
        }

        children.ReplyOnceParentKnows(Done.Instance, sender);
    }

    private void Write(PutValue message, IActorRef sender)
    {
        try
        {
            // With IfAbsent the backend re-checks: on disk this is an exclusive create, safe even across processes.
            sender.Tell(message.Condition == WriteCondition.IfAbsent
                ? storage.TryAdd(message.Name, message.Value)
                : storage.Put(message.Name, message.Value));
        }
        catch (Exception e)
        {
            log.Error(e, "{0} {1} failed", message.Operation, KeyRules.Quote(KeyOf(message.Name)));
            sender.Tell(new Status.Failure(e));
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="condition"/> holds for <paramref name="name"/>. The value is never read: a
    /// compare-and-set compares the version's tag, fixed when it was written; the other conditions need
    /// only whether the name exists.
    /// </summary>
    private bool IsMet(WriteCondition condition, string name, out bool exists)
    {
        if (!condition.ComparesTag)
        {
            exists = storage.Contains(name);
            return condition.IsMetBy(exists ? string.Empty : null);
        }

        var current = storage.VersionOf(name);
        exists = current is not null;
        return condition.IsMetBy(current?.Tag);
    }

    /// <summary>
    /// For a reader on another node: when the slice is too large for one frame, answers <see cref="LargeValue"/>
    /// (the reader fetches pieces against the version's tag) and returns true; nothing is read yet.
    /// </summary>
    private bool OfferLarge(string name, ByteRequest? range, IActorRef sender)
    {
        var size = storage.SizeOf(name);
        if (size < 0 || SliceLength(size, range) <= WireLimits.PieceSize || storage.VersionOf(name) is not { } version)
        {
            return false;
        }

        var (start, length) = range?.Resolve(checked((int)version.Length)) ?? (0, (int)version.Length);
        sender.Tell(new LargeValue(start, length, version.Tag, version.Length));
        return true;
    }

    private static long SliceLength(long size, ByteRequest? range) =>
        range is null ? size : range.Resolve((int)Math.Min(size, int.MaxValue)).Length;

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
