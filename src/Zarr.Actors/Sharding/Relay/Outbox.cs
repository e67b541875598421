using System.Collections.Concurrent;
using Akka.Actor;
using Zarr.Actors.Protocol;
using Zarr.Actors.Telemetry;
using Zarr.Buffers;

namespace Zarr.Actors.Sharding.Relay;

/// <summary>
/// Messages for one other node's relay. The first message queued schedules a send; everything
/// queued until that send runs leaves with it, so under load batches grow by themselves, and a
/// lone message leaves at once. A batch is cut at <see cref="WireLimits.MaxBatchBytes"/> of values or
/// <see cref="WireLimits.MaxBatchItems"/> items, so it fits one frame (see <see cref="WireLimits"/>).
/// </summary>
internal sealed class Outbox(IActorRef target, IActorRef sender, bool replies, Action? sent = null) : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Relayed> _queue = new();
    private int _scheduled;

    public void Enqueue(Relayed item)
    {
        _queue.Enqueue(item);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public void Execute()
    {
        // A full fence before draining: a message queued after it schedules a send of its own.
        Interlocked.Exchange(ref _scheduled, 0);
        var batch = new List<Relayed>();
        long bytes = 0;
        while (_queue.TryDequeue(out var item))
        {
            batch.Add(item);
            bytes += SizeOf(item.Message);
            if (bytes >= WireLimits.MaxBatchBytes || batch.Count >= WireLimits.MaxBatchItems)
            {
                Send(batch);
                (batch, bytes) = ([], 0);
            }
        }

        if (batch.Count > 0)
        {
            Send(batch);
        }
    }

    /// <summary>What a message counts toward its batch's size: its value bytes.</summary>
    internal static long SizeOf(object message) => message switch
    {
        ByteBuffer value => value.Length,
        IValueMessage carrying => carrying.ValueBytes,
        _ => WireLimits.ItemWithoutValueBytes,
    };

    private void Send(List<Relayed> batch)
    {
        target.Tell(replies ? new RelayedReplies(batch) : new RelayedRequests(batch), sender);
        sent?.Invoke();
        if (StoreTelemetry.RelayBatchSize.Enabled)
        {
            StoreTelemetry.RelayBatchSize.Record(batch.Count, new KeyValuePair<string, object?>("kind", replies ? "replies" : "requests"));
        }
    }
}
