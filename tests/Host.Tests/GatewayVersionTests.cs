using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Host.Tests;

/// <summary>
/// What the gateway asks its store for: ranges with the version in one call, the version alone for
/// <c>HEAD</c> and conditional GETs, never the whole value for a part of it. The store is a MemoryStore
/// behind a proxy that records every call.
/// </summary>
public sealed class GatewayVersionTests : IAsyncLifetime
{
    private readonly MemoryStore _inner = new();
    private RecordingStore _calls = null!;
    private GatewayServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        var store = DispatchProxy.Create<IConditionalStore, RecordingStore>();
        _calls = (RecordingStore)(object)store;
        _calls.Inner = _inner;
        _server = await GatewayServer.StartAsync(store);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> PutAsync(string key, string text) =>
        (await _inner.PutAsync(key, ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text)), WriteCondition.None)).Tag!;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        _calls.Clear();
        return await Client.SendAsync(request);
    }

    [Fact(DisplayName = "A Range GET is one versioned read of the range: bytes, total length and ETag from one call")]
    public async Task RangeIsOneVersionedRead()
    {
        var tag = await PutAsync("g/k", "0123456789");
        using var response = await SendAsync(HttpMethod.Get, "/g/k", r => r.Headers.Range = new RangeHeaderValue(2, 4));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("234", await response.Content.ReadAsStringAsync());
        Assert.Equal("bytes 2-4/10", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(tag, response.Headers.ETag!.ToString());
        var call = Assert.Single(_calls.Made);
        Assert.Equal((nameof(IConditionalStore.GetVersionedAsync), "g/k", (object?)new RangeByteRequest(2, 5)), call);
    }

    [Fact(DisplayName = "A Range past the end is 416 with the length from the same one call")]
    public async Task UnsatisfiableRangeIsOneCall()
    {
        await PutAsync("k", "0123456789");
        using var response = await SendAsync(HttpMethod.Get, "/k", r => r.Headers.TryAddWithoutValidation("Range", "bytes=50-60"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(nameof(IConditionalStore.GetVersionedAsync), Assert.Single(_calls.Made).Method);
    }

    [Fact(DisplayName = "HEAD asks only for the version: length and ETag, no read")]
    public async Task HeadAsksTheVersionOnly()
    {
        var tag = await PutAsync("a/b", "12345");
        using var response = await SendAsync(HttpMethod.Head, "/a/b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, response.Content.Headers.ContentLength);
        Assert.Equal(tag, response.Headers.ETag!.ToString());
        Assert.Equal((nameof(IConditionalStore.GetVersionAsync), "a/b", (object?)null), Assert.Single(_calls.Made));

        using var ranged = await SendAsync(HttpMethod.Head, "/a/b", r => r.Headers.Range = new RangeHeaderValue(1, 2));
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal("bytes 1-2/5", ranged.Content.Headers.ContentRange!.ToString());
        Assert.Equal(nameof(IConditionalStore.GetVersionAsync), Assert.Single(_calls.Made).Method);
    }

    [Fact(DisplayName = "GET with If-None-Match of the current ETag is 304 from the version alone; a stale one gets the bytes")]
    public async Task IfNoneMatch()
    {
        var stale = await PutAsync("k", "one");
        var tag = await PutAsync("k", "two");
        using var notModified = await SendAsync(HttpMethod.Get, "/k", r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(tag)));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(tag, notModified.Headers.ETag!.ToString());
        Assert.Equal(nameof(IConditionalStore.GetVersionAsync), Assert.Single(_calls.Made).Method);

        using var modified = await SendAsync(HttpMethod.Get, "/k", r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(stale)));
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal("two", await modified.Content.ReadAsStringAsync());
        Assert.Equal(tag, modified.Headers.ETag!.ToString());
    }

    [Fact(DisplayName = "PUT answers with the new version's ETag, which a later GET and If-Match agree on")]
    public async Task PutAnswersTheNewTag()
    {
        using var put = await Client.PutAsync("/p/k", new StringContent("v"));
        var tag = put.Headers.ETag!.ToString();
        Assert.Equal((await _inner.GetVersionAsync("p/k"))!.Tag, tag);
        using var again = await Client.PutAsync("/p/k", new StringContent("v"));
        Assert.NotEqual(tag, again.Headers.ETag!.ToString());
    }

    /// <summary>Forwards every call to <see cref="Inner"/> and records the method, key and range of the reads.</summary>
    public class RecordingStore : DispatchProxy
    {
        private readonly ConcurrentQueue<(string Method, string? Key, object? Range)> _made = new();

        public MemoryStore Inner { get; set; } = null!;

        public IReadOnlyList<(string Method, string? Key, object? Range)> Made => _made.ToArray();

        public void Clear() => _made.Clear();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name.StartsWith("Get", StringComparison.Ordinal) || targetMethod.Name == nameof(IStore.ExistsAsync))
            {
                _made.Enqueue((targetMethod.Name, args?.FirstOrDefault() as string, args?.FirstOrDefault(a => a is ByteRequest)));
            }

            try
            {
                return targetMethod.Invoke(Inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
