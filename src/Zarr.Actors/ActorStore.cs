using System.Runtime.CompilerServices;
using Akka.Actor;
using Zarr.Actors.Protocol;
using Zarr.Actors.Shards;
using Zarr.Actors.Sharding;
using Zarr.Actors.Sharding.Relay;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// The store API over the sharded prefix owners: every call becomes one message to the owner of the
/// key's prefix (wherever in the cluster it lives), and walks of the owner tree for listings.
/// Buffers are passed by reference in-process; nothing is copied on the way. Shard merges are done by
/// the shard key's owner, so concurrent writers of different inner chunks of one shard lose nothing.
/// </summary>
public sealed class ActorStore : StoreBase, IConditionalStore, IShardStore
{
    /// <summary>The sharding type name of the prefix owners.</summary>
    public const string TypeName = PrefixShards.TypeName;

    private readonly StoreRuntime _runtime;

    // False on a node outside ZarrActorsSettings.Role, which reaches the owners through a proxy.
    private readonly bool _hostsOwners;

    internal ActorStore(StoreRuntime runtime, bool readOnly, bool hostsOwners = true) : base(readOnly) =>
        (_runtime, _hostsOwners) = (runtime, hostsOwners);

    /// <summary>The actor system the store runs on.</summary>
    public ActorSystem System => _runtime.System;

    /// <summary>How long each call waits for the actors.</summary>
    public TimeSpan RequestTimeout => _runtime.Timeout;

    /// <summary>
    /// Starts the sharded store on <paramref name="system"/>, an actor system the caller already runs with
    /// <c>akka.actor.provider = cluster</c>, and returns a store over it. Every node of the cluster calls
    /// this once (nodes without <see cref="ZarrActorsSettings.Role"/>, when one is set, host no owners and
    /// reach them through a proxy). What the store needs that the system lacks (the defaults of
    /// <c>hocon/zarr-actors.conf</c>, of sharding, singletons and distributed data, and the serializers)
    /// is added as a fallback; <paramref name="settings"/> default to <see cref="ZarrActorsSettings.Create(ActorSystem)"/>.
    /// Calls made before the node has joined a cluster fail at once with <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static async Task<ActorStore> StartAsync(ActorSystem system, ZarrActorsSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        SystemRequirements.Ensure(system);
        settings ??= ZarrActorsSettings.Create(system);
        var region = await OwnerRegion.StartAsync(system, settings).ConfigureAwait(false);
        var runtime = new StoreRuntime(system, region, settings.RequestTimeout, LocalOwners.Get(system), RemoteRelay.Get(system), NodeMembership.Of(system));
        return new ActorStore(runtime, settings.ReadOnly, OwnerRegion.HostsOwners(system, settings));
    }

    /// <summary>
    /// Returns once the shard coordinator lists this node's region (on a node that hosts no owners: any
    /// region), so requests are served from then on. It sends no request to an owner: with a data directory,
    /// another process may hold the lease of the root prefix's shard, and a node must still start, to answer
    /// "unavailable" for what it cannot own. Throws <see cref="StoreUnavailableException"/> after <paramref name="within"/>.
    /// </summary>
    public Task WaitUntilServingAsync(TimeSpan within, CancellationToken ct = default) =>
        OwnerRegion.WaitForCoordinatorAsync(System, _runtime.Region, _hostsOwners, within, ct);

    public override IStore WithReadOnly(bool readOnly = false) => new ActorStore(_runtime, readOnly, _hostsOwners);

    protected override async Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        var value = await ReadAsync(key, byteRange, OperationNames.Get, ct).ConfigureAwait(false);
        return value is null ? null : prototype.Convert(value);
    }

    /// <summary>Reads a value, in pieces when it is too large for one remote frame.</summary>
    private async Task<ByteBuffer?> ReadAsync(string key, ByteRequest? byteRange, string operation, CancellationToken ct)
    {
        var prefix = KeyRules.ParentOf(key);
        var name = KeyRules.NameOf(key);
        for (var attempt = 1; ; attempt++)
        {
            var reply = await _runtime.AskAsync(new GetValue(prefix, name, byteRange), operation, key, ct).ConfigureAwait(false);
            if (reply is not LargeValue large)
            {
                return reply as ByteBuffer;
            }

            if (await ReadPiecesAsync(prefix, name, large, operation, key, ct).ConfigureAwait(false) is { } whole)
            {
                return whole;
            }

            CheckAttempt(attempt, operation, key);
        }
    }

    /// <summary>As <see cref="ReadAsync"/>, with the length and tag of the version read.</summary>
    private async Task<StoredValue?> ReadVersionedAsync(string key, ByteRequest? byteRange, string operation, CancellationToken ct)
    {
        var prefix = KeyRules.ParentOf(key);
        var name = KeyRules.NameOf(key);
        for (var attempt = 1; ; attempt++)
        {
            var reply = await _runtime.AskAsync(new GetVersionedValue(prefix, name, byteRange), operation, key, ct).ConfigureAwait(false);
            if (reply is not LargeValue large)
            {
                return reply as StoredValue;
            }

            if (await ReadPiecesAsync(prefix, name, large, operation, key, ct).ConfigureAwait(false) is { } whole)
            {
                return new StoredValue(whole, large.ValueLength, large.Tag);
            }

            CheckAttempt(attempt, operation, key);
        }
    }

    /// <summary>The slice a <see cref="LargeValue"/> offers, piece by piece; null when the version changed meanwhile.</summary>
    private async Task<ByteBuffer?> ReadPiecesAsync(string prefix, string name, LargeValue large, string operation, string key, CancellationToken ct)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)large.Length));
        var changed = false;
        await ForEachPieceAsync(large.Length, async (offset, length) =>
        {
            var piece = await _runtime.AskAsync(new GetValuePiece(prefix, name, large.Start + offset, length, large.Tag), operation, key, ct)
                .ConfigureAwait(false);
            if (piece is ByteBuffer part)
            {
                part.Span.CopyTo(bytes.AsSpan((int)offset));
            }
            else
            {
                changed = true;
            }
        }).ConfigureAwait(false);
        return changed ? null : ByteBuffer.FromMemory(bytes);
    }

    private static void CheckAttempt(int attempt, string operation, string key)
    {
        if (attempt == 3)
        {
            throw new StoreUnavailableException($"{operation} {KeyRules.Quote(key)}: the value kept changing while it was read in pieces");
        }
    }

    /// <summary>Runs <paramref name="transfer"/> for each piece of a large value, a few at a time.</summary>
    private static async Task ForEachPieceAsync(long length, Func<long, int, Task> transfer)
    {
        const int inFlight = 4;
        var offsets = new List<long>();
        for (long offset = 0; offset < length; offset += WireLimits.PieceSize)
        {
            offsets.Add(offset);
        }

        await Parallel.ForEachAsync(offsets, new ParallelOptions { MaxDegreeOfParallelism = inFlight },
            async (offset, _) => await transfer(offset, (int)Math.Min(WireLimits.PieceSize, length - offset)).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    protected override async Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesCoreAsync(BufferPrototype prototype,
        IReadOnlyList<(string Key, ByteRequest? Range)> requests, CancellationToken ct)
    {
        // One message per prefix, all prefixes at once; results go back to the input's order.
        var byPrefix = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = KeyRules.ParentOf(requests[i].Key);
            if (!byPrefix.TryGetValue(prefix, out var slots))
            {
                byPrefix[prefix] = slots = [];
            }

            slots.Add(i);
        }

        var results = new ByteBuffer?[requests.Count];
        await Task.WhenAll(byPrefix.Select(async group =>
        {
            var slots = group.Value;
            var message = new GetValues(group.Key,
                slots.Select(i => KeyRules.NameOf(requests[i].Key)).ToArray(),
                slots.Select(i => requests[i].Range).ToArray());
            var reply = (ValuesRead)await _runtime.AskAsync(message, OperationNames.GetPartialValues, requests[slots[0]].Key, ct).ConfigureAwait(false);
            for (var j = 0; j < slots.Count; j++)
            {
                results[slots[j]] = reply.Values[j] is { } value ? prototype.Convert(value) : null;
            }

            // Values too large to share one remote reply come one by one.
            foreach (var j in reply.Deferred)
            {
                var (key, range) = requests[slots[j]];
                results[slots[j]] = await ReadAsync(key, range, OperationNames.GetPartialValues, ct).ConfigureAwait(false) is { } value
                    ? prototype.Convert(value)
                    : null;
            }
        })).ConfigureAwait(false);
        return results;
    }

    protected override async Task<bool> ExistsCoreAsync(string key, CancellationToken ct) =>
        ((ValueExistence)await _runtime.AskAsync(new ValueExists(KeyRules.ParentOf(key), KeyRules.NameOf(key)), OperationNames.Exists, key, ct)
            .ConfigureAwait(false)).Exists;

    protected override async Task<long> GetSizeCoreAsync(string key, CancellationToken ct) =>
        ((ValueSize)await _runtime.AskAsync(new GetValueSize(KeyRules.ParentOf(key), KeyRules.NameOf(key)), OperationNames.GetSize, key, ct)
            .ConfigureAwait(false)).Length;

    protected override async Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct)
    {
        var tree = await WalkAsync(prefix, _ => true, OperationNames.GetSizePrefix, ct).ConfigureAwait(false);
        return tree.Sum(level => level.Sum(node => node.Listing.KeyBytes));
    }

    protected override Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        WriteAsync(key, value, WriteCondition.None, ct);

    protected override async Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        (await WriteAsync(key, value, WriteCondition.IfAbsent, ct).ConfigureAwait(false)).Outcome == WriteOutcome.Created;

    protected override Task DeleteCoreAsync(string key, CancellationToken ct) => RemoveCoreAsync(key, WriteCondition.None, ct);

    protected override async Task DeleteDirCoreAsync(string prefix, CancellationToken ct)
    {
        var tree = await WalkAsync(prefix, _ => true, OperationNames.DeleteDir, ct).ConfigureAwait(false);

        // Deepest owners first, so each parent is emptied after its children have unregistered.
        for (var depth = tree.Count - 1; depth >= 0; depth--)
        {
            await Task.WhenAll(tree[depth].Select(node =>
                _runtime.AskAsync(new RemoveAllValues(node.Prefix), OperationNames.DeleteDir, prefix, ct))).ConfigureAwait(false);
        }
    }

    protected override async IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        // Start at the deepest directory that can hold matches, and only descend where a match can be.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? string.Empty : prefix[..slash];
        var tree = await WalkAsync(start, path => path.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(path + "/", StringComparison.Ordinal),
            OperationNames.ListPrefix, ct).ConfigureAwait(false);
        foreach (var level in tree)
        {
            foreach (var node in level)
            {
                foreach (var name in node.Listing.Keys)
                {
                    var key = KeyRules.Join(node.Prefix, name);
                    if (key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        ct.ThrowIfCancellationRequested();
                        yield return key;
                    }
                }
            }
        }
    }

    protected override async IAsyncEnumerable<string> ListDirCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var listing = await ListAsync(prefix, OperationNames.ListDir, ct).ConfigureAwait(false);
        foreach (var name in listing.Keys.Concat(listing.Children))
        {
            ct.ThrowIfCancellationRequested();
            yield return name;
        }
    }

    protected override async Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct)
    {
        var listing = await ListAsync(prefix, OperationNames.IsEmpty, ct).ConfigureAwait(false);
        return listing.Keys.Count == 0 && listing.Children.Count == 0;
    }

    public Task<WriteResult> PutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.OfWrite(condition), ct);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(condition);
        return WriteAsync(key, value, condition, ct);
    }

    public Task<WriteResult> RemoveAsync(string key, WriteCondition condition, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.Delete, ct);
        ArgumentNullException.ThrowIfNull(condition);
        return RemoveCoreAsync(key, condition, ct);
    }

    public async Task<StoredValue?> GetVersionedAsync(string key, ByteRequest? range = null, BufferPrototype? prototype = null, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.Get, ct);
        var stored = await ReadVersionedAsync(key, range, OperationNames.Get, ct).ConfigureAwait(false);
        return stored is null || prototype is null ? stored : stored with { Value = prototype.Convert(stored.Value) };
    }

    public async Task<ValueVersion?> GetVersionAsync(string key, CancellationToken ct = default)
    {
        BeginRead(key, OperationNames.Get, ct);
        return await _runtime.AskAsync(new GetValueVersion(KeyRules.ParentOf(key), KeyRules.NameOf(key)), OperationNames.Get, key, ct).ConfigureAwait(false)
            as ValueVersion;
    }

    public Task<WriteResult> MergeShardAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.MergeShard, ct);
        ShardFormat.ValidateChunks(layout, chunks);
        return MergeCoreAsync(new MergeShard(KeyRules.ParentOf(key), KeyRules.NameOf(key), layout, chunks), key, ct);
    }

    /// <summary>
    /// Sends the merge to the shard's owner: as one message, or, when its inner chunks are too large for one
    /// remote frame and the owner is on another node, packed and sent in pieces like a large value, then
    /// committed. Either way the owner merges every inner chunk of the call in one step (or none).
    /// </summary>
    private async Task<WriteResult> MergeCoreAsync(MergeShard message, string key, CancellationToken ct)
    {
        object reply;
        if (message.ValueBytes > WireLimits.PieceSize && !await OwnerIsLocalAsync(message.Prefix, OperationNames.MergeShard, key, ct).ConfigureAwait(false))
        {
            var packed = PackedShardChunks.Pack(message.Chunks);
            var transfer = await SendInPiecesAsync(message.Prefix, packed, OperationNames.MergeShard, key, ct).ConfigureAwait(false);
            reply = await _runtime.AskAsync(new CommitShardMerge(message.Prefix, message.Name, transfer, message.Layout), OperationNames.MergeShard, key, ct)
                .ConfigureAwait(false);
        }
        else
        {
            reply = await _runtime.AskAsync(message, OperationNames.MergeShard, key, ct).ConfigureAwait(false);
        }

        return (WriteResult)reply;
    }

    private async Task<WriteResult> WriteAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct)
    {
        var message = new PutValue(KeyRules.ParentOf(key), KeyRules.NameOf(key), value, condition);
        if (value.Length > WireLimits.PieceSize && !await OwnerIsLocalAsync(message.Prefix, message.Operation, key, ct).ConfigureAwait(false))
        {
            return await WriteInPiecesAsync(message, key, ct).ConfigureAwait(false);
        }

        return (WriteResult)await _runtime.AskAsync(message, message.Operation, key, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a value too large for one remote frame in pieces, then commits it; the owner writes it
    /// only once every piece has arrived, so a failed transfer writes nothing.
    /// </summary>
    private async Task<WriteResult> WriteInPiecesAsync(PutValue message, string key, CancellationToken ct)
    {
        var transfer = await SendInPiecesAsync(message.Prefix, message.Value, message.Operation, key, ct).ConfigureAwait(false);
        var commit = new CommitValue(message.Prefix, message.Name, transfer, message.Condition);
        return (WriteResult)await _runtime.AskAsync(commit, message.Operation, key, ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="value"/> to the owner of <paramref name="prefix"/> in pieces; the id of the transfer to commit.</summary>
    private async Task<string> SendInPiecesAsync(string prefix, ByteBuffer value, string operation, string key, CancellationToken ct)
    {
        var transfer = Guid.NewGuid().ToString("N");
        await ForEachPieceAsync(value.Length, (offset, length) =>
            _runtime.AskAsync(new PutValuePiece(prefix, transfer, offset, value.Length, value.Slice((int)offset, length)), operation, key, ct))
            .ConfigureAwait(false);
        return transfer;
    }

    /// <summary>True when the owner of <paramref name="prefix"/> runs on this node: then buffers pass by reference.</summary>
    private async Task<bool> OwnerIsLocalAsync(string prefix, string operation, string key, CancellationToken ct)
    {
        if (_runtime.LocalOwnerOf(prefix) is not null)
        {
            return true;
        }

        var location = (OwnerLocation)await _runtime.AskAsync(new LocateOwner(prefix), operation, key, ct).ConfigureAwait(false);
        return location.Owner.Path.Address.HasLocalScope;
    }

    private async Task<WriteResult> RemoveCoreAsync(string key, WriteCondition condition, CancellationToken ct) =>
        (WriteResult)await _runtime.AskAsync(new RemoveValue(KeyRules.ParentOf(key), KeyRules.NameOf(key), condition), OperationNames.Delete, key, ct)
            .ConfigureAwait(false);

    private async Task<DirectoryListing> ListAsync(string prefix, string operation, CancellationToken ct) =>
        (DirectoryListing)await _runtime.AskAsync(new ListDirectory(prefix), operation, prefix, ct).ConfigureAwait(false);

    /// <summary>
    /// The owners of <paramref name="prefix"/> and of every child prefix <paramref name="descend"/> accepts,
    /// level by level (index 0 is <paramref name="prefix"/> itself); each level is asked concurrently.
    /// </summary>
    private async Task<List<List<(string Prefix, DirectoryListing Listing)>>> WalkAsync(
        string prefix, Func<string, bool> descend, string operation, CancellationToken ct)
    {
        var levels = new List<List<(string, DirectoryListing)>>();
        var frontier = new List<string> { prefix };
        while (frontier.Count > 0)
        {
            var listings = await Task.WhenAll(frontier.Select(p => ListAsync(p, operation, ct))).ConfigureAwait(false);
            var level = frontier.Zip(listings).ToList();
            levels.Add(level);
            frontier = level
                .SelectMany(node => node.Second.Children.Select(child => KeyRules.Join(node.First, child)))
                .Where(descend)
                .ToList();
        }

        return levels;
    }
}
