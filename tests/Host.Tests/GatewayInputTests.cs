using System.Net;
using System.Text.Json;

namespace Zarr.Actors.Host.Tests;

/// <summary>Bad input at the HTTP edge: paths that are not UTF-8, requests over the size limits, Range headers.</summary>
public sealed class GatewayInputTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new MemoryStore());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Sent exactly as written: System.Uri would otherwise re-encode or decode escapes itself.</summary>
    private Uri Raw(string path) =>
        new(_server.BaseAddress.ToString().TrimEnd('/') + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    [Theory(DisplayName = "A percent-escape that is not UTF-8 answers 400 with problem+json, and nothing is written")]
    [InlineData("/a%FF")]
    [InlineData("/a%C3")]
    [InlineData("/a%C0%AF")]
    [InlineData("/a%ED%A0%80")]
    public async Task InvalidUtf8IsRefused(string path)
    {
        using var put = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, Raw(path)) { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
        var detail = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains("UTF-8", detail);
        using var get = await _server.Client.GetAsync(Raw(path));
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Empty(await _server.Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "An escaped percent sign still names a key: /a%25FF is the key a%FF")]
    public async Task EscapedPercentIsAKey()
    {
        using var put = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, Raw("/a%25FF")) { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(["a%FF"], await _server.Store.ListAsync().ToListAsync());
        Assert.Equal("x", await _server.Client.GetStringAsync(Raw("/a%25FF")));
    }

    [Fact(DisplayName = "A request line over the limit answers 414 with CORS headers, so a browser can read it")]
    public async Task LongRequestLineHasCors()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/" + new string('k', RequestLimits.MaxRequestLineBytes));
        request.Headers.Add("Origin", "https://viewer.example");
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact(DisplayName = "Headers over the limit answer 431 with CORS headers, so a browser can read it")]
    public async Task LargeHeadersHaveCors()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/k");
        request.Headers.Add("Origin", "https://viewer.example");
        request.Headers.Add("X-Large", new string('h', RequestLimits.MaxHeaderBytes));
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var many = new HttpRequestMessage(HttpMethod.Get, "/k");
        many.Headers.Add("Origin", "https://viewer.example");
        for (var i = 0; i < RequestLimits.MaxHeaderCount; i++)
        {
            many.Headers.Add($"X-Field-{i}", "v");
        }

        using var counted = await _server.Client.SendAsync(many);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, counted.StatusCode);
        Assert.Equal("*", counted.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact(DisplayName = "Requests just within the limits are served")]
    public async Task WithinLimitsIsServed()
    {
        await _server.Store.SetAsync("k", Zarr.Buffers.ByteBuffer.FromBytes("v"u8));
        var request = new HttpRequestMessage(HttpMethod.Get, "/k");
        request.Headers.Add("X-Large", new string('h', RequestLimits.MaxHeaderBytes / 2));
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, ByteRequest?> RangeHeaders() => new()
    {
        { "bytes=0-4", new RangeByteRequest(0, 5) },
        { " bytes = 3 - 3 ", new RangeByteRequest(3, 4) },
        { "bytes=7-", new OffsetByteRequest(7) },
        { "bytes=-3", new SuffixByteRequest(3) },
        { "bytes=-0", new SuffixByteRequest(0) },
        { "bytes=5-2", null },
        { "bytes=-", null },
        { "bytes=0-1,3-4", null },
        { "items=0-1", null },
        { "", null },
    };

    [Theory(DisplayName = "A Range header becomes the store's ByteRequest, or none when it is not one valid bytes= range")]
    [MemberData(nameof(RangeHeaders))]
    public void RangeHeadersParse(string header, ByteRequest? expected) => Assert.Equal(expected, RangeHeader.Parse(header));

    [Theory(DisplayName = "Only a first byte at or past the end, a zero suffix, or a suffix of an empty value is unsatisfiable")]
    [InlineData("bytes=9-", 10, true)]
    [InlineData("bytes=10-", 10, false)]
    [InlineData("bytes=10-20", 10, false)]
    [InlineData("bytes=-1", 10, true)]
    [InlineData("bytes=-0", 10, false)]
    [InlineData("bytes=-5", 0, false)]
    public void Satisfiable(string header, int length, bool satisfiable) =>
        Assert.Equal(satisfiable, RangeHeader.IsSatisfiable(RangeHeader.Parse(header)!, length));
}
