using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Zarr.Actors.Telemetry;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Telemetry;

/// <summary>
/// The store's ActivitySource and Meter. Other tests of this process use the store at the same time, so each
/// test picks out its own calls: activities by key, the owners gauge by node.
/// </summary>
public sealed class StoreTelemetryTests
{
    [Fact(DisplayName = "Each store call makes one activity named for its operation, tagged with its key and outcome")]
    public async Task ActivitiesTellOperationAndOutcome()
    {
        var prefix = $"traced{Guid.NewGuid():N}";
        var seen = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StoreTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("zarr_actors.key") is string key && key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    seen.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var store = node.Store;
        await store.SetAsync($"{prefix}/k", ByteBuffer.FromBytes([1, 2, 3]));
        await store.GetAsync($"{prefix}/k");
        await store.GetAsync($"{prefix}/missing");
        Assert.False(await store.SetIfNotExistsAsync($"{prefix}/k", ByteBuffer.FromBytes([9])));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetSizeAsync($"{prefix}/missing"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => store.SetAsync($"{prefix}/k/below", ByteBuffer.Empty));

        var calls = seen.Select(a => (a.OperationName, Outcome: (string)a.GetTagItem("zarr_actors.outcome")!)).ToList();
        Assert.Equal(
            [("set", "ok"), ("get", "ok"), ("get", "absent"), ("set_if_not_exists", "precondition_failed"), (OperationNames.GetSize, "absent"), ("set", "invalid")],
            calls);
    }

    [Fact(DisplayName = "Operations, bytes and conflicts are counted by operation and outcome; the owners gauge reports each node's owners")]
    public async Task MetricsCountCalls()
    {
        await using var node = await StoreNode.StartAsync(new StoreNodeOptions());
        var address = node.Address.ToString();
        var counts = new ConcurrentDictionary<string, long>();
        var owners = new ConcurrentQueue<int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StoreTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var labels = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order());
            counts.AddOrUpdate($"{instrument.Name}[{labels}]", value, (_, sum) => sum + value);
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == StoreTelemetry.OwnersName && tags.ToArray().Any(t => t.Key == "node" && Equals(t.Value, address)))
            {
                owners.Enqueue(value);
            }
        });
        listener.Start();

        var prefix = $"metered{Guid.NewGuid():N}";
        foreach (var i in Enumerable.Range(0, 3))
        {
            await node.Store.SetAsync($"{prefix}/p{i}/k", ByteBuffer.FromBytes(new byte[10]));
        }

        Assert.False(await node.Store.SetIfNotExistsAsync($"{prefix}/p0/k", ByteBuffer.FromBytes([1])));
        Assert.Equal(10, (await node.Store.GetAsync($"{prefix}/p1/k"))!.Length);
        listener.RecordObservableInstruments();

        // Other tests may add to these counts in the meantime, never take from them.
        Assert.True(counts.GetValueOrDefault($"{StoreTelemetry.OperationsName}[operation=set,outcome=ok]") >= 3);
        Assert.True(counts.GetValueOrDefault($"{StoreTelemetry.ConflictsName}[operation=set_if_not_exists]") >= 1);
        Assert.True(counts.GetValueOrDefault($"{StoreTelemetry.WrittenName}[operation=set]") >= 30);
        Assert.True(counts.GetValueOrDefault($"{StoreTelemetry.ReadName}[operation=get]") >= 10);

        // This node alone: the three prefixes' owners, their parents and the root ("", prefix, p0..p2).
        Assert.Equal(5, Assert.Single(owners));
    }
}
