using Zarr.Actors;
using Zarr.Actors.Shards;

namespace Zarr.Arrays;

/// <summary>Puts encoded inner chunks into a stored shard, the way <see cref="ArrayOptions.PartialShardWrites"/> says.</summary>
internal sealed class ShardUpdater
{
    private readonly ArrayChunks _chunks;
    private readonly PartialShardWrites _strategy;

    public ShardUpdater(ArrayChunks chunks)
    {
        _chunks = chunks;
        _strategy = Resolve(chunks.Options.PartialShardWrites, chunks.Store, chunks.Path);
    }

    /// <summary>The strategy <paramref name="requested"/> means for <paramref name="store"/>; refuses one the store cannot do.</summary>
    public static PartialShardWrites Resolve(PartialShardWrites requested, IStore store, string path) => requested switch
    {
        PartialShardWrites.Auto => store is IShardStore ? PartialShardWrites.Merge : PartialShardWrites.ReadModifyWrite,
        PartialShardWrites.Merge when store is not IShardStore =>
            throw new ArgumentException($"array \"{path}\": partial shard writes by merge need an IShardStore, and {store.GetType().Name} is not one"),
        PartialShardWrites.CompareAndSet when store is not IConditionalStore =>
            throw new ArgumentException($"array \"{path}\": partial shard writes by compare-and-set need an IConditionalStore, and {store.GetType().Name} is not one"),
        PartialShardWrites.Merge or PartialShardWrites.CompareAndSet or PartialShardWrites.ReadModifyWrite => requested,
        _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "not a PartialShardWrites value"),
    };

    public async Task MergeAsync(string key, IReadOnlyList<ShardChunk> chunks, CancellationToken ct)
    {
        var layout = _chunks.Shards!.Layout;
        try
        {
            switch (_strategy)
            {
                case PartialShardWrites.Merge:
                    await ((IShardStore)_chunks.Store).MergeShardAsync(key, layout, chunks, ct).ConfigureAwait(false);
                    break;
                case PartialShardWrites.CompareAndSet:
                    await CompareAndSetAsync((IConditionalStore)_chunks.Store, key, layout, chunks, ct).ConfigureAwait(false);
                    break;
                default:
                    var current = await _chunks.Store.GetAsync(key, ct: ct).ConfigureAwait(false);
                    await StoreAsync(_chunks.Store, key, ShardFormat.Merge(key, current, layout, chunks), ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (ShardFormatException e)
        {
            throw new ZarrFormatException($"array \"{_chunks.Path}\": {e.Message}", e) { Path = _chunks.Path, Key = key };
        }
    }

    private static async Task CompareAndSetAsync(IConditionalStore store, string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct)
    {
        while (true)
        {
            // The shard and its version in one read: the write below goes ahead only if no other writer came between.
            var read = await store.GetVersionedAsync(key, ct: ct).ConfigureAwait(false);
            var current = read?.Value;
            var condition = read is null ? WriteCondition.IfAbsent : WriteCondition.IfMatch([read.Tag]);
            var merged = ShardFormat.Merge(key, current, layout, chunks);
            var outcome = merged is not null
                ? (await store.PutAsync(key, merged, condition, ct).ConfigureAwait(false)).Outcome
                : current is null
                    ? WriteOutcome.Absent
                    : (await store.RemoveAsync(key, condition, ct).ConfigureAwait(false)).Outcome;
            if (outcome != WriteOutcome.PreconditionFailed)
            {
                return;
            }
        }
    }

    private static Task StoreAsync(IStore store, string key, Zarr.Buffers.ByteBuffer? shard, CancellationToken ct) =>
        shard is null ? store.DeleteAsync(key, ct) : store.SetAsync(key, shard, ct);
}
