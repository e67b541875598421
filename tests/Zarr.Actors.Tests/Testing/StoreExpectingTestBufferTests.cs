using System.Text;
using Zarr.Actors.Testing;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Testing;

/// <summary>The store's one rule, through its facade: the caller's buffer type, or a prompt refusal that changes nothing.</summary>
public sealed class StoreExpectingTestBufferTests(ActorSystemFixture fixture) : IClassFixture<ActorSystemFixture>
{
    private readonly StoreExpectingTestBuffer _store = new(fixture.System, TimeSpan.FromMinutes(5));

    private static TestBuffer Test(string text) => TestBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private static ByteBuffer Plain(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    [Fact(DisplayName = "A plain buffer written to a data key is refused at once, naming the key and both types, and nothing changes")]
    public async Task WrongValueTypeIsRefused()
    {
        await _store.SetAsync("arr/c/0/0", Test("original"));

        // The store waits five minutes for an answer: only an immediate failure can make this test quick.
        var error = await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => _store.SetAsync("arr/c/0/0", Plain("replacement")));
        Assert.Contains("\"arr/c/0/0\"", error.Message);
        Assert.Contains(typeof(TestBuffer).FullName!, error.Message);
        Assert.Contains(typeof(ByteBuffer).FullName!, error.Message);
        Assert.IsAssignableFrom<ArgumentException>(error);

        await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => _store.SetIfNotExistsAsync("arr/c/0/1", Plain("new")));
        Assert.Equal("original", Encoding.UTF8.GetString((await _store.GetAsync("arr/c/0/0", TestBufferPrototype.Instance))!.Span));
        Assert.False(await _store.ExistsAsync("arr/c/0/1"));
    }

    [Fact(DisplayName = "Reads of data keys with another prototype are refused; json keys take any buffer and prototype")]
    public async Task WrongPrototypeIsRefused()
    {
        await _store.SetAsync("arr/c/0", Test("chunk"));
        await _store.SetAsync("arr/zarr.json", Plain("{}"));
        await _store.SetAsync("arr/.zattrs.json.bak", Test("also metadata-like"));

        var error = await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => _store.GetAsync("arr/c/0"));
        Assert.Contains("\"arr/c/0\"", error.Message);
        await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() =>
            _store.GetPartialValuesAsync(BufferPrototype.Default, [("arr/zarr.json", null), ("arr/c/0", null)]));

        var metadata = await _store.GetAsync("arr/zarr.json");
        Assert.IsType<ByteBuffer>(metadata);
        Assert.IsType<TestBuffer>(await _store.GetAsync("arr/zarr.json", TestBufferPrototype.Instance));
        var partial = await _store.GetPartialValuesAsync(BufferPrototype.Default, [("arr/zarr.json", null), ("arr/.zattrs.json.bak", null)]);
        Assert.All(partial, value => Assert.IsType<ByteBuffer>(value));
    }

    [Fact(DisplayName = "Values come back as the requested prototype's buffer type")]
    public async Task ValuesComeBackAsTheRequestedType()
    {
        await _store.SetAsync("a/c/0", Test("0123456789"));
        var value = await _store.GetAsync("a/c/0", TestBufferPrototype.Instance, new RangeByteRequest(2, 5));
        Assert.IsType<TestBuffer>(value);
        Assert.Equal("234", Encoding.UTF8.GetString(value!.Span));
    }

    [Fact(DisplayName = "Read-only, then the key, then the buffer type: the first broken rule is the one reported")]
    public async Task ChecksInOrder()
    {
        var view = _store.WithReadOnly(true);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.SetAsync("a//b", Plain("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => _store.SetAsync("a//b", Plain("x")));
        await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => _store.SetAsync("a/b", Plain("x")));
    }

    [Fact(DisplayName = "Hundreds of rejected messages interleaved with valid writes from many callers lose no write")]
    public async Task RejectionsLoseNothing()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            var refused = 0;
            for (var i = 0; i < 40; i++)
            {
                var key = $"mixed/c/{caller}/{i}";
                await _store.SetAsync(key, Test(key));
                try
                {
                    await _store.SetAsync(key, Plain("must not land"));
                }
                catch (UnexpectedBufferTypeException)
                {
                    refused++;
                }

                try
                {
                    await _store.GetAsync(key);
                }
                catch (UnexpectedBufferTypeException)
                {
                    refused++;
                }
            }

            return refused;
        })).ToArray();
        start.SetResult();

        Assert.All(await Task.WhenAll(callers), refused => Assert.Equal(80, refused));
        var keys = await _store.ListAsync().ToListAsync();
        Assert.Equal(16 * 40, keys.Count);
        var values = await _store.GetPartialValuesAsync(TestBufferPrototype.Instance, keys.Select(k => (k, (ByteRequest?)null)));
        Assert.Equal(keys, values.Select(v => Encoding.UTF8.GetString(v!.Span)));
    }
}
