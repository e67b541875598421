using Akka.Actor;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Protocol;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Facade;

/// <summary>
/// The facade against a probe standing in for the shard region: which message each call sends,
/// how replies and failures come back, and that buffers pass by reference.
/// </summary>
public sealed class ActorStoreFacadeSpec : TestKit
{
    private ActorStore StoreOver(IActorRef region, TimeSpan? timeout = null) =>
        new(new StoreRuntime(Sys, region, timeout ?? TimeSpan.FromSeconds(5)), readOnly: false);

    [Fact(DisplayName = "Set sends the caller's buffer to the owner of the key's parent, by reference")]
    public async Task SetPassesTheBufferByReference()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref);
        var value = ByteBuffer.FromBytes(new byte[1 << 20]);

        var set = store.SetAsync("group/array/c/0/3", value);
        var put = region.ExpectMsg<PutValue>();
        Assert.Equal("group/array/c/0", put.Prefix);
        Assert.Equal("3", put.Name);
        Assert.Same(value, put.Value);
        Assert.Equal(WriteCondition.None, put.Condition);
        region.Reply(WriteResult.Of(WriteOutcome.Created));
        await set;
    }

    [Fact(DisplayName = "Get returns the owner's buffer itself when no conversion is needed")]
    public async Task GetReturnsTheSameBuffer()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref);
        var stored = ByteBuffer.FromBytes([1, 2, 3]);

        var get = store.GetAsync("top", byteRange: new SuffixByteRequest(2));
        var message = region.ExpectMsg<GetValue>();
        Assert.Equal(new GetValue(string.Empty, "top", new SuffixByteRequest(2)), message);
        region.Reply(stored);
        Assert.Same(stored, await get);

        var converted = store.GetAsync("top", TestBufferPrototype.Instance);
        region.ExpectMsg<GetValue>();
        region.Reply(stored);
        var result = await converted;
        Assert.IsType<TestBuffer>(result);
        Assert.True(result!.Memory.Span == stored.Memory.Span, "conversion must not copy the bytes");
    }

    [Fact(DisplayName = "A Status.Failure from the owner reaches the caller as the contract's exception")]
    public async Task FailuresAreMapped()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref);

        var set = store.SetAsync("a/b", ByteBuffer.Empty);
        region.ExpectMsg<PutValue>();
        region.Reply(new Status.Failure(new InvalidKeyException("set: invalid key \"a/b\": \"a\" is a key")));
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => set);
        Assert.Contains("\"a/b\"", error.Message);

        var size = store.GetSizeAsync("missing");
        region.ExpectMsg<GetValueSize>();
        region.Reply(new Status.Failure(new KeyNotFoundException("getsize: key \"missing\" not found")));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => size);
    }

    [Fact(DisplayName = "An owner that does not answer gives StoreUnavailableException naming the operation and key")]
    public async Task TimeoutBecomesUnavailable()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref, TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ExistsAsync("a/b"));
        Assert.Contains("exists", error.Message);
        Assert.Contains("\"a/b\"", error.Message);
        region.ExpectMsg<ValueExists>();
    }

    [Fact(DisplayName = "A cancelled call stops waiting, and an already-cancelled one sends nothing")]
    public async Task CancellationIsHonoured()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetAsync("k", ByteBuffer.Empty, cancelled.Token));
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        using var later = new CancellationTokenSource();
        var get = store.GetAsync("k", ct: later.Token);
        region.ExpectMsg<GetValue>();
        await later.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
    }

    [Fact(DisplayName = "GetPartialValues sends one message per prefix and keeps the input order")]
    public async Task PartialValuesGroupByPrefix()
    {
        var region = CreateTestProbe();
        var store = StoreOver(region.Ref);
        var read = store.GetPartialValuesAsync(null, [("a/x", null), ("b/y", null), ("a/z", new RangeByteRequest(0, 1)), ("a/x", null)]);

        var received = new Dictionary<string, (GetValues Message, IActorRef Sender)>();
        for (var i = 0; i < 2; i++)
        {
            var message = region.ExpectMsg<GetValues>();
            received[message.Prefix] = (message, region.LastSender);
        }

        region.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal(["x", "z", "x"], received["a"].Message.Names);
        Assert.Equal([null, new RangeByteRequest(0, 1), null], received["a"].Message.Ranges);
        Assert.Equal(["y"], received["b"].Message.Names);

        // Answer in the other order: the result still follows the input.
        received["b"].Sender.Tell(new ValuesRead([ByteBuffer.FromBytes("Y"u8)]));
        received["a"].Sender.Tell(new ValuesRead([ByteBuffer.FromBytes("X"u8), null, ByteBuffer.FromBytes("X"u8)]));
        var results = await read;
        Assert.Equal(4, results.Count);
        Assert.Equal(ByteBuffer.FromBytes("X"u8), results[0]);
        Assert.Equal(ByteBuffer.FromBytes("Y"u8), results[1]);
        Assert.Null(results[2]);
        Assert.Equal(ByteBuffer.FromBytes("X"u8), results[3]);
    }
}
