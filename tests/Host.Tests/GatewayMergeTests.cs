using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Zarr.Actors.Shards;
using Zarr.Arrays;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Actors.Host.Tests;

/// <summary>The gateway's shard merge: <c>PATCH /{shard key}</c> with one multipart part per inner chunk.</summary>
public sealed class GatewayMergeTests : IAsyncLifetime
{
    private static readonly ShardLayout TwoByTwo = new(4, ShardIndexLocation.End, IndexChecksum: true);
    private readonly MemoryStore _store = new();
    private GatewayServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(_store, new GatewayOptions { MaxValueBytes = 4096 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static MultipartFormDataContent Parts(params (string Name, byte[] Bytes)[] parts)
    {
        var body = new MultipartFormDataContent();
        foreach (var (name, bytes) in parts)
        {
            body.Add(new ByteArrayContent(bytes), name, "chunk.bin");
        }

        return body;
    }

    /// <summary>A multipart/form-data body with boundary <c>b</c>, as written.</summary>
    private static ByteArrayContent Raw(string body)
    {
        var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return content;
    }

    private async Task<HttpResponseMessage> PatchAsync(string url, HttpContent body) =>
        await Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = body });

    private async Task<ByteBuffer?[]> InnerChunksAsync(string key, ShardLayout layout)
    {
        var shard = (await _store.GetAsync(key))!;
        var index = ShardFormat.ReadIndex(key, shard, layout);
        return Enumerable.Range(0, layout.ChunkCount).Select(i => ShardFormat.InnerChunk(shard, index, i)).ToArray();
    }

    /// <summary>The problem's detail, after checking its status and that the store is as it was.</summary>
    private async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, Dictionary<string, ByteBuffer> before)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var after = await SnapshotAsync();
        Assert.Equal(before.OrderBy(p => p.Key), after.OrderBy(p => p.Key));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
    }

    private async Task<Dictionary<string, ByteBuffer>> SnapshotAsync()
    {
        var all = new Dictionary<string, ByteBuffer>();
        await foreach (var key in _store.ListAsync())
        {
            all[key] = (await _store.GetAsync(key))!;
        }

        return all;
    }

    [Fact(DisplayName = "PATCH merges parts named by grid position (C order); 201 then 204 with the ETag a GET gives; an empty part empties its inner chunk")]
    public async Task MergesNamedParts()
    {
        using var created = await PatchAsync("/g/s/c/0/0?chunks=2,2", Parts(("0,1", [1, 1]), ("1,0", [2])));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = await InnerChunksAsync("g/s/c/0/0", TwoByTwo);
        Assert.Equal(new ByteBuffer?[] { null, ByteBuffer.FromBytes([1, 1]), ByteBuffer.FromBytes([2]), null }, stored);
        using (var get = await Client.GetAsync("/g/s/c/0/0"))
        {
            Assert.Equal(get.Headers.ETag, created.Headers.ETag);
        }

        using var replaced = await PatchAsync("/g/s/c/0/0?chunks=2,2&index=end&checksum=crc32c&endian=little", Parts(("1,1", [3]), ("0,1", [])));
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal(new ByteBuffer?[] { null, null, ByteBuffer.FromBytes([2]), ByteBuffer.FromBytes([3]) }, await InnerChunksAsync("g/s/c/0/0", TwoByTwo));
        using (var get = await Client.GetAsync("/g/s/c/0/0"))
        {
            Assert.NotNull(replaced.Headers.ETag);
            Assert.Equal(get.Headers.ETag, replaced.Headers.ETag);
        }

        // The last inner chunks emptied: the shard is deleted, 204 without an ETag.
        using var deleted = await PatchAsync("/g/s/c/0/0?chunks=2,2", Parts(("1,0", []), ("1,1", [])));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(deleted.Headers.ETag);
        Assert.False(await _store.ExistsAsync("g/s/c/0/0"));
    }

    [Fact(DisplayName = "The layout in the query: index at the start, no checksum, big-endian, three axes")]
    public async Task LayoutFromQuery()
    {
        var layout = new ShardLayout(12, ShardIndexLocation.Start, IndexChecksum: false, IndexBigEndian: true);
        using var response = await PatchAsync("/s?chunks=2,3,2&index=start&checksum=none&endian=big", Parts(("1,2,1", [9]), ("0,0,1", [8])));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await InnerChunksAsync("s", layout);
        Assert.Equal(ByteBuffer.FromBytes([9]), stored[1 * 6 + 2 * 2 + 1]);
        Assert.Equal(ByteBuffer.FromBytes([8]), stored[1]);
        Assert.Equal(2, stored.Count(chunk => chunk is not null));
    }

    [Fact(DisplayName = "Without a layout, PATCH reads it from the array's zarr.json, and the array reads the merged inner chunks back")]
    public async Task LayoutFromMetadata()
    {
        // 8 x 4 int16 in shards of 4 x 4 holding 2 x 2 inner chunks of 2 x 2, index at the start, zstd inner chunks.
        var metadata = new ArrayMetadata([8, 4], DataType.Int16, [4, 4], fillValue: -1,
            codecs: [new ShardingCodec([2, 2], [new BytesCodec(), new ZstdCodec(level: 3)], indexLocation: ShardIndexLocation.Start)]);
        var array = await ZarrArray.CreateAsync(_store, "grp/arr", metadata);
        await array.WriteAsync([0..2, 0..2], NDBuffer.Create([2, 2], DataType.Int16, fillValue: (short)5));

        // Another client encodes inner chunk (1, 0) of shard c/1/0 itself: four int16, little-endian, then zstd.
        var raw = new byte[8];
        for (var i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(2 * i), (short)(100 + i));
        }

        var encoded = new ZstdSharp.Compressor(3).Wrap(raw).ToArray();
        using var response = await PatchAsync("/grp/arr/c/1/0", Parts(("1,0", encoded)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var read = await (await ZarrArray.OpenAsync(_store, "grp/arr")).ReadAsync();
        Assert.Equal((short)5, read[0, 0]);
        Assert.Equal((short)100, read[6, 0]);
        Assert.Equal((short)103, read[7, 1]);
        Assert.Equal((short)-1, read[4, 0]);
        Assert.Equal((short)-1, read[6, 2]);
    }

    public static TheoryData<string, HttpContent, string> BadRequests() => new()
    {
        { "/g/s/c/0/0?chunks=2,x", Parts(("0,0", [1])), "chunks=\"2,x\"" },
        { "/g/s/c/0/0?chunks=2,2&index=middle", Parts(("0,0", [1])), "index=\"middle\"" },
        { "/g/s/c/0/0?chunks=2,2&checksum=md5", Parts(("0,0", [1])), "checksum=\"md5\"" },
        { "/g/s/c/0/0?chunks=2,2", Parts(("2,0", [1])), "part \"2,0\" is not the position of an inner chunk in a shard of 2 x 2" },
        { "/g/s/c/0/0?chunks=2,2", Parts(("0", [1])), "part \"0\"" },
        { "/g/s/c/0/0?chunks=2,2", Parts(("0,1", [1]), ("0,1", [2])), "part \"0,1\" is given twice" },
        { "/g/s/c/0/0?chunks=2,2", new ByteArrayContent([1, 2, 3]), "must be multipart/form-data" },
        { "/g/s/c/0/0?chunks=2,2", Raw("--b--\r\n"), "no parts" },
        { "/g/s/c/0/0?chunks=2,2", Raw("--b\r\nContent-Disposition: form-data; name=\"0,0\"\r\n\r\nno closing boundary"), "not valid multipart" },
        { "/g/s/c/0/0?chunks=2,2", new MultipartContent("mixed") { new ByteArrayContent([1]) }, "a part has no name" },
        { "/g/s/c/0/0", Parts(("0,0", [1])), "no zarr.json above the key" },
        { "/g/s/c/0/0?index=start", Parts(("0,0", [1])), "index is given without chunks" },
    };

    [Theory(DisplayName = "A bad layout, position, part or body is 400 naming the key and what is wrong, and merges nothing")]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestsMergeNothing(string url, HttpContent body, string problem)
    {
        await _store.MergeShardAsync("g/s/c/0/0", TwoByTwo, [new ShardChunk(3, ByteBuffer.FromBytes([7]))]);
        var before = await SnapshotAsync();
        using var response = await PatchAsync(url, body);
        var detail = await RefusedAsync(response, HttpStatusCode.BadRequest, before);
        Assert.Contains("merge_shard \"g/s/c/0/0\"", detail);
        Assert.Contains(problem, detail);
    }

    [Fact(DisplayName = "Layouts from metadata are refused for a group, an unsharded array, and a key that is not one of the array's shards")]
    public async Task MetadataThatGivesNoLayout()
    {
        await ZarrGroup.CreateAsync(_store, "grp");
        await ZarrArray.CreateAsync(_store, "grp/plain", new ArrayMetadata([4], DataType.UInt8, [2], codecs: [new BytesCodec()]));
        await ZarrArray.CreateAsync(_store, "grp/sharded", new ArrayMetadata([4], DataType.UInt8, [4], codecs: [new ShardingCodec([2], [new BytesCodec()])]));
        var before = await SnapshotAsync();

        var group = await RefusedAsync(await PatchAsync("/grp/c/0", Parts(("0", [1]))), HttpStatusCode.BadRequest, before);
        Assert.Contains("\"grp/zarr.json\"", group);
        var plain = await RefusedAsync(await PatchAsync("/grp/plain/c/0", Parts(("0", [1]))), HttpStatusCode.BadRequest, before);
        Assert.Contains("array \"grp/plain\"", plain);
        Assert.Contains("sharding_indexed", plain);
        foreach (var notAShard in new[] { "/grp/sharded/c/1", "/grp/sharded/c/00", "/grp/sharded/zarr.json", "/grp/sharded/c/0/0" })
        {
            var detail = await RefusedAsync(await PatchAsync(notAShard, Parts(("0", [1]))), HttpStatusCode.BadRequest, before);
            Assert.Contains("is not one of its shards (those are named like \"grp/sharded/c/0\")", detail);
        }
    }

    [Fact(DisplayName = "A merge into a corrupt shard is 400 naming the array and the key; the shard stays as it was")]
    public async Task CorruptShard()
    {
        await ZarrArray.CreateAsync(_store, "arr", new ArrayMetadata([4], DataType.UInt8, [4], codecs: [new ShardingCodec([2], [new BytesCodec()])]));
        await _store.SetAsync("arr/c/0", ByteBuffer.FromBytes(new byte[40]));
        var before = await SnapshotAsync();
        using var response = await PatchAsync("/arr/c/0", Parts(("1", [1, 2])));
        var detail = await RefusedAsync(response, HttpStatusCode.BadRequest, before);
        Assert.Contains("array \"arr\"", detail);
        Assert.Contains("shard \"arr/c/0\" is corrupt", detail);
        Assert.Equal("Corrupt shard", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact(DisplayName = "Inner chunks over --max-value-bytes are 413, with or without Content-Length; nothing is merged")]
    public async Task TooLarge()
    {
        var before = await SnapshotAsync();
        var detail = await RefusedAsync(await PatchAsync("/s?chunks=4", Parts(("0", new byte[3000]), ("1", new byte[3000])) ), HttpStatusCode.RequestEntityTooLarge, before);
        Assert.Contains("merge_shard \"s\"", detail);

        // Chunked: no Content-Length, so the parts are counted as they arrive.
        var chunked = Parts(("0", new byte[3000]), ("1", new byte[3000]));
        await chunked.LoadIntoBufferAsync();
        var streamed = new StreamContent(await chunked.ReadAsStreamAsync());
        streamed.Headers.ContentType = chunked.Headers.ContentType;
        var request = new HttpRequestMessage(HttpMethod.Patch, "/s?chunks=4") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        await RefusedAsync(await Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, before);
    }

    [Fact(DisplayName = "A read-only node answers PATCH with 405; a directory path too; preflights allow PATCH")]
    public async Task ReadOnlyAndPreflight()
    {
        await using var readOnly = await GatewayServer.StartAsync(_store.WithReadOnly(true));
        using var refused = await readOnly.Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/s?chunks=4") { Content = Parts(("0", [1])) });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        Assert.False(await _store.ExistsAsync("s"));

        using var directory = await PatchAsync("/g/?chunks=4", Parts(("0", [1])));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, directory.StatusCode);

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/s");
        preflight.Headers.Add("Origin", "http://viewer.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var allowed = await Client.SendAsync(preflight);
        Assert.Contains("PATCH", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }
}
