using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Zarr.Buffers;

namespace Zarr.Actors.Host.Tests;

/// <summary>Each row of the contract's HTTP table, against a gateway over a MemoryStore.</summary>
public sealed class GatewayProtocolTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private HttpClient Client => _server.Client;

    private IStore Store => _server.Store;

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new MemoryStore(), new GatewayOptions { MaxValueBytes = 1024 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static ByteBuffer Text(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetRangeAsync(string path, string range) =>
        await SendAsync(HttpMethod.Get, path, r => r.Headers.TryAddWithoutValidation("Range", range));

    [Fact(DisplayName = "GET answers 200 with the bytes, ETag and Accept-Ranges; 404 with problem+json when absent")]
    public async Task Get()
    {
        await Store.SetAsync("g/a/c/0", Text("0123456789"));
        using var found = await Client.GetAsync("/g/a/c/0");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("0123456789", await found.Content.ReadAsStringAsync());
        Assert.Equal((await ((IConditionalStore)Store).GetVersionAsync("g/a/c/0"))!.Tag, found.Headers.ETag!.ToString());
        Assert.False(found.Headers.ETag.IsWeak);
        Assert.Contains("bytes", found.Headers.AcceptRanges);

        using var missing = await Client.GetAsync("/g/a/c/1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("g/a/c/1", problem.GetProperty("detail").GetString());
    }

    [Theory(DisplayName = "Range requests answer 206 with Content-Range, also for the whole value")]
    [InlineData("bytes=0-4", "01234", "bytes 0-4/10")]
    [InlineData("bytes=3-3", "3", "bytes 3-3/10")]
    [InlineData("bytes=7-", "789", "bytes 7-9/10")]
    [InlineData("bytes=-3", "789", "bytes 7-9/10")]
    [InlineData("bytes=-30", "0123456789", "bytes 0-9/10")]
    [InlineData("bytes=0-", "0123456789", "bytes 0-9/10")]
    [InlineData("bytes=5-100", "56789", "bytes 5-9/10")]
    public async Task Ranges(string range, string body, string contentRange)
    {
        await Store.SetAsync("digits", Text("0123456789"));
        using var response = await GetRangeAsync("/digits", range);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(contentRange, response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
    }

    [Theory(DisplayName = "A first byte at or past the end answers 416 with Content-Range: bytes */length")]
    [InlineData("bytes=10-")]
    [InlineData("bytes=10-20")]
    [InlineData("bytes=99-100")]
    [InlineData("bytes=-0")]
    public async Task UnsatisfiableRanges(string range)
    {
        await Store.SetAsync("digits", Text("0123456789"));
        using var response = await GetRangeAsync("/digits", range);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10", response.Content.Headers.ContentRange!.ToString());
    }

    [Theory(DisplayName = "A Range header that is not one valid bytes= range is ignored: 200 and the whole value")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=abc")]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,3-4")]
    [InlineData("bytes=-")]
    [InlineData("bytes 0-1")]
    public async Task MalformedRangesAreIgnored(string range)
    {
        await Store.SetAsync("digits", Text("0123456789"));
        using var response = await GetRangeAsync("/digits", range);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0123456789", await response.Content.ReadAsStringAsync());
    }

    [Fact(DisplayName = "HEAD answers like GET without a body")]
    public async Task Head()
    {
        await Store.SetAsync("k", Text("12345"));
        using var response = await SendAsync(HttpMethod.Head, "/k");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, response.Content.Headers.ContentLength);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        using var missing = await SendAsync(HttpMethod.Head, "/missing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact(DisplayName = "PUT answers 201 when it creates and 204 when it replaces")]
    public async Task Put()
    {
        using var created = await SendAsync(HttpMethod.Put, "/a/b", body: "one");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var replaced = await SendAsync(HttpMethod.Put, "/a/b", body: "two");
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal("two", Encoding.UTF8.GetString((await Store.GetAsync("a/b"))!.Span));
        using var empty = await SendAsync(HttpMethod.Put, "/a/empty", body: "");
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        Assert.Equal(0, await Store.GetSizeAsync("a/empty"));
    }

    [Fact(DisplayName = "PUT with If-None-Match: * writes only when absent, else 412")]
    public async Task PutIfAbsent()
    {
        using var first = await SendAsync(HttpMethod.Put, "/z/zarr.json", r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any), "first");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await SendAsync(HttpMethod.Put, "/z/zarr.json", r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any), "second");
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("first", Encoding.UTF8.GetString((await Store.GetAsync("z/zarr.json"))!.Span));
    }

    [Fact(DisplayName = "32 concurrent PUTs with If-None-Match: * have exactly one 201, and its value is stored")]
    public async Task PutIfAbsentRace()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var puts = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            await start.Task;
            using var response = await SendAsync(HttpMethod.Put, "/race/zarr.json", r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any), $"writer {i}");
            return response.StatusCode;
        })).ToArray();
        start.SetResult();
        var statuses = await Task.WhenAll(puts);

        var winner = Assert.Single(Enumerable.Range(0, 32), i => statuses[i] == HttpStatusCode.Created);
        Assert.All(statuses.Where((_, i) => i != winner), s => Assert.Equal(HttpStatusCode.PreconditionFailed, s));
        Assert.Equal($"writer {winner}", Encoding.UTF8.GetString((await Store.GetAsync("race/zarr.json"))!.Span));
    }

    [Fact(DisplayName = "PUT and DELETE with If-Match compare and set on the ETag; 412 when it changed or the key is absent")]
    public async Task IfMatch()
    {
        using var created = await SendAsync(HttpMethod.Put, "/cas", body: "v1");
        var tag = created.Headers.ETag!.ToString();
        Assert.Equal((await ((IConditionalStore)Store).GetVersionAsync("cas"))!.Tag, tag);

        using var ok = await SendAsync(HttpMethod.Put, "/cas", r => r.Headers.TryAddWithoutValidation("If-Match", tag), "v2");
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        var current = ok.Headers.ETag!.ToString();
        using var stale = await SendAsync(HttpMethod.Put, "/cas", r => r.Headers.TryAddWithoutValidation("If-Match", tag), "v3");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("v2", Encoding.UTF8.GetString((await Store.GetAsync("cas"))!.Span));

        using var absent = await SendAsync(HttpMethod.Put, "/nothing-here", r => r.Headers.TryAddWithoutValidation("If-Match", "*"), "x");
        Assert.Equal(HttpStatusCode.PreconditionFailed, absent.StatusCode);
        Assert.False(await Store.ExistsAsync("nothing-here"));

        using var staleDelete = await SendAsync(HttpMethod.Delete, "/cas", r => r.Headers.TryAddWithoutValidation("If-Match", tag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        using var delete = await SendAsync(HttpMethod.Delete, "/cas", r => r.Headers.TryAddWithoutValidation("If-Match", $"\"other\", {current}"));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(await Store.ExistsAsync("cas"));
    }

    [Fact(DisplayName = "ETags are strong versions: kept while nothing is written, new on every write, the same bytes again included")]
    public async Task ETagsAreVersions()
    {
        await Store.SetAsync("k", Text("a"));
        using var first = await Client.GetAsync("/k");
        using var again = await Client.GetAsync("/k");
        await Store.SetAsync("k", Text("b"));
        using var second = await Client.GetAsync("/k");
        await Store.SetAsync("k", Text("a"));
        using var third = await Client.GetAsync("/k");
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        Assert.NotEqual(first.Headers.ETag, third.Headers.ETag);
        Assert.NotEqual(second.Headers.ETag, third.Headers.ETag);
    }

    [Fact(DisplayName = "DELETE answers 204, also when the key is absent")]
    public async Task Delete()
    {
        await Store.SetAsync("a/b", Text("x"));
        using var deleted = await Client.DeleteAsync("/a/b");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(await Store.ExistsAsync("a/b"));
        using var again = await Client.DeleteAsync("/a/b");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact(DisplayName = "GET on a trailing slash lists children; ?recursive=true lists full keys; unknown prefixes are empty")]
    public async Task Listings()
    {
        foreach (var key in new[] { "g/zarr.json", "g/a/zarr.json", "g/a/c/0/0", "g/b/c/0", "g-x/y", "top" })
        {
            await Store.SetAsync(key, Text(key));
        }

        var root = JsonDocument.Parse(await Client.GetStringAsync("/")).RootElement;
        Assert.Equal("", root.GetProperty("prefix").GetString());
        Assert.Equal(["g", "g-x", "top"], root.GetProperty("children").EnumerateArray().Select(e => e.GetString()).Order());

        var g = JsonDocument.Parse(await Client.GetStringAsync("/g/")).RootElement;
        Assert.Equal("g", g.GetProperty("prefix").GetString());
        Assert.Equal(["a", "b", "zarr.json"], g.GetProperty("children").EnumerateArray().Select(e => e.GetString()).Order());

        var recursive = JsonDocument.Parse(await Client.GetStringAsync("/g/a/?recursive=true")).RootElement;
        Assert.Equal("g/a", recursive.GetProperty("prefix").GetString());
        Assert.Equal(["g/a/c/0/0", "g/a/zarr.json"], recursive.GetProperty("keys").EnumerateArray().Select(e => e.GetString()).Order());
        var all = JsonDocument.Parse(await Client.GetStringAsync("/?recursive=true")).RootElement;
        Assert.Equal(6, all.GetProperty("keys").GetArrayLength());

        var unknown = JsonDocument.Parse(await Client.GetStringAsync("/nothing/")).RootElement;
        Assert.Empty(unknown.GetProperty("children").EnumerateArray());
    }

    [Fact(DisplayName = "DELETE on a trailing slash deletes the directory and keeps its look-alike sibling")]
    public async Task DeleteDirectory()
    {
        await Store.SetAsync("foo/a", Text("1"));
        await Store.SetAsync("foo/b/c", Text("2"));
        await Store.SetAsync("foo-bar/a", Text("3"));
        using var response = await Client.DeleteAsync("/foo/");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["foo-bar/a"], await Store.ListAsync().ToListAsync());
    }

    [Theory(DisplayName = "Paths that do not decode to a valid key answer 400, and nothing is written")]
    [InlineData("/a/%2E%2E/b")]
    [InlineData("/a/%2e/b")]
    [InlineData("/a//b")]
    [InlineData("/%2Fa")]
    [InlineData("/a/..%2Fb")]
    [InlineData("/a/%01b")]
    public async Task InvalidKeys(string path)
    {
        // Sent exactly as written: System.Uri would otherwise decode %2E and remove dot segments itself.
        var raw = new Uri(_server.BaseAddress.ToString().TrimEnd('/') + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var put = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, raw) { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "A NUL in the path is refused with 400 by Kestrel itself, before any key exists")]
    public async Task NulIsRefusedByKestrel()
    {
        var raw = new Uri(_server.BaseAddress.ToString().TrimEnd('/') + "/a%00b", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var put = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, raw) { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "The path is decoded once: %2F is a slash, %252F is a literal %2F in the key")]
    public async Task PercentDecodingOnce()
    {
        using var slash = await SendAsync(HttpMethod.Put, "/a%2Fb", body: "x");
        Assert.Equal(HttpStatusCode.Created, slash.StatusCode);
        Assert.True(await Store.ExistsAsync("a/b"));
        using var literal = await SendAsync(HttpMethod.Put, "/c%252Fd", body: "y");
        Assert.Equal(HttpStatusCode.Created, literal.StatusCode);
        Assert.True(await Store.ExistsAsync("c%2Fd"));
        using var spaced = await SendAsync(HttpMethod.Put, "/with%20space/%C3%BC", body: "z");
        Assert.True(await Store.ExistsAsync("with space/ü"));
    }

    [Fact(DisplayName = "Unknown query parameters on key URLs are ignored")]
    public async Task QueriesAreIgnored()
    {
        using var put = await SendAsync(HttpMethod.Put, "/q/k?token=abc&v=1", body: "value");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True(await Store.ExistsAsync("q/k"));
        Assert.Equal("value", await Client.GetStringAsync("/q/k?anything=else"));
    }

    [Fact(DisplayName = "A body over the size limit answers 413, with or without Content-Length, and nothing is written")]
    public async Task OversizedBodies()
    {
        using var announced = await Client.PutAsync("/big", new ByteArrayContent(new byte[2000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);

        var chunked = new StreamContent(new MemoryStream(new byte[5000]));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/big-chunked") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        using var fits = await Client.PutAsync("/fits", new ByteArrayContent(new byte[1024]));
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Equal(["fits"], await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "Every response to a request with an Origin carries CORS headers, errors and 404 included")]
    public async Task CorsOnEveryResponse()
    {
        await Store.SetAsync("k", Text("v"));
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/k"), (HttpMethod.Get, "/missing"), (HttpMethod.Put, "/a//b"), (HttpMethod.Get, "/") })
        {
            using var response = await SendAsync(method, path, r => r.Headers.Add("Origin", "http://viewer.example"), method == HttpMethod.Put ? "x" : null);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single();
            foreach (var header in new[] { "ETag", "Content-Range", "Accept-Ranges", "Content-Length" })
            {
                Assert.Contains(header, exposed);
            }
        }
    }

    [Fact(DisplayName = "OPTIONS answers a preflight allowing the headers Zarr clients send")]
    public async Task Preflight()
    {
        using var response = await SendAsync(HttpMethod.Options, "/any/key", r =>
        {
            r.Headers.Add("Origin", "http://viewer.example");
            r.Headers.Add("Access-Control-Request-Method", "GET");
            r.Headers.Add("Access-Control-Request-Headers", "range");
        });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single();
        foreach (var header in new[] { "Range", "Content-Type", "If-Match", "If-None-Match", "Authorization" })
        {
            Assert.Contains(header, allowed);
        }

        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact(DisplayName = "Health and metrics live under the reserved __ prefix: /__health JSON, health-check routes, Prometheus text")]
    public async Task HealthAndMetrics()
    {
        await Client.PutAsync("/k", new StringContent("12345"));
        await Client.GetAsync("/k");
        await Client.GetAsync("/missing");
        var health = JsonDocument.Parse(await Client.GetStringAsync("/__health")).RootElement;
        Assert.Equal("up", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", await Client.GetStringAsync("/__health/live"));
        Assert.Equal("Healthy", await Client.GetStringAsync("/__health/ready"));

        using var metrics = await Client.GetAsync("/__metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType!.MediaType);
        var text = await metrics.Content.ReadAsStringAsync();

        // ASP.NET Core's own request metric, by status: the one 404 above (this app's meter, not the process's).
        var notFound = text.Split('\n').Where(line =>
            line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal) && line.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal));
        Assert.Equal(1, notFound.Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>Gateways started with a token or read-only.</summary>
public sealed class GatewayModeTests
{
    [Fact(DisplayName = "With a token, requests without it or with a wrong one answer 401; preflights need none")]
    public async Task Token()
    {
        await using var server = await GatewayServer.StartAsync(new MemoryStore(), new GatewayOptions { Token = "s3cret" });
        using var none = await server.Client.GetAsync("/k");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Put, "/k") { Content = new StringContent("x") };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        wrong.Headers.Add("Origin", "http://viewer.example");
        using var refused = await server.Client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(await server.Store.ExistsAsync("k"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/k");
        preflight.Headers.Add("Origin", "http://viewer.example");
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.SendAsync(preflight)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Put, "/k") { Content = new StringContent("x") };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.Created, (await server.Client.SendAsync(right)).StatusCode);
        using var metrics = await server.Client.GetAsync("/__metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
    }

    [Fact(DisplayName = "A read-only node answers 405 to every write and changes nothing")]
    public async Task ReadOnly()
    {
        var data = new MemoryStore();
        await data.SetAsync("k", ByteBuffer.FromBytes("v"u8));
        await using var server = await GatewayServer.StartAsync(data.WithReadOnly(true));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.PutAsync("/k", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.PutAsync("/new", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.DeleteAsync("/k")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.DeleteAsync("/")).StatusCode);
        Assert.Equal("v", await server.Client.GetStringAsync("/k"));
        Assert.Equal(["k"], await data.ListAsync().ToListAsync());
    }
}
