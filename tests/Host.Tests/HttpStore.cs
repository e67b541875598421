using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Host.Tests;

/// <summary>
/// A client-side <see cref="IStore"/> that speaks only the gateway's HTTP protocol, so the shared
/// contract suite can run against the gateway. Statuses map back to the contract's exceptions.
/// <c>GetSizePrefix</c>, <c>IsEmpty</c>, <c>Clear</c> and <c>GetPartialValues</c> are <see cref="StoreBase"/>'s defaults.
/// Shard merges are the gateway's <c>PATCH</c>, with the layout in the query and the inner chunks named by
/// their index (a one-axis grid of <see cref="ShardLayout.ChunkCount"/> inner chunks).
/// </summary>
public sealed class HttpStore(HttpClient client, bool readOnly = false) : StoreBase(readOnly), IShardStore
{
    public override IStore WithReadOnly(bool readOnly = false) => new HttpStore(client, readOnly);

    private static string UrlOf(string key) => "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static string DirectoryUrlOf(string prefix) => prefix.Length == 0 ? "/" : UrlOf(prefix) + "/";

    protected override async Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UrlOf(key));
        switch (byteRange)
        {
            case RangeByteRequest { Start: var start, End: var end } when end > start:
                request.Headers.Range = new RangeHeaderValue(start, end - 1);
                break;
            case OffsetByteRequest { Offset: var offset }:
                request.Headers.Range = new RangeHeaderValue(offset, null);
                break;
            case SuffixByteRequest { Suffix: > 0 } suffix:
                request.Headers.Range = new RangeHeaderValue(null, suffix.Suffix);
                break;
            case null:
                break;
            default:
                // HTTP has no empty range: an empty request is answered by whether the key exists.
                return await ExistsCoreAsync(key, ct) ? prototype.Convert(ByteBuffer.Empty) : null;
        }

        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return prototype.Convert(ByteBuffer.Empty);
        }

        await EnsureSuccessAsync(response, OperationNames.Get, key);
        return prototype.Convert(ByteBuffer.FromMemory(await response.Content.ReadAsByteArrayAsync(ct)));
    }

    protected override async Task<bool> ExistsCoreAsync(string key, CancellationToken ct)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, UrlOf(key)), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, OperationNames.Exists, key);
        return true;
    }

    protected override async Task<long> GetSizeCoreAsync(string key, CancellationToken ct)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, UrlOf(key)), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw StoreErrors.KeyNotFound(OperationNames.GetSize, key);
        }

        await EnsureSuccessAsync(response, OperationNames.GetSize, key);
        return response.Content.Headers.ContentLength ?? throw new InvalidOperationException("HEAD answered without Content-Length");
    }

    protected override Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct) => PutAsync(key, value, ifAbsent: false, ct);

    protected override async Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        await PutAsync(key, value, ifAbsent: true, ct) == HttpStatusCode.Created;

    protected override async Task DeleteCoreAsync(string key, CancellationToken ct)
    {
        using var response = await client.DeleteAsync(UrlOf(key), ct);
        await EnsureSuccessAsync(response, OperationNames.Delete, key);
    }

    protected override async Task DeleteDirCoreAsync(string prefix, CancellationToken ct)
    {
        using var response = await client.DeleteAsync(DirectoryUrlOf(prefix), ct);
        await EnsureSuccessAsync(response, OperationNames.DeleteDir, prefix);
    }

    protected override async IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var slash = prefix.LastIndexOf('/');
        foreach (var key in await ListRecursiveAsync(slash < 0 ? string.Empty : prefix[..slash], ct))
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }
    }

    protected override async IAsyncEnumerable<string> ListDirCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in await ListAsync(DirectoryUrlOf(prefix), "children", OperationNames.ListDir, prefix, ct))
        {
            yield return name;
        }
    }

    private Task<List<string>> ListRecursiveAsync(string prefix, CancellationToken ct) =>
        ListAsync(DirectoryUrlOf(prefix) + "?recursive=true", "keys", OperationNames.ListPrefix, prefix, ct);

    private async Task<List<string>> ListAsync(string url, string field, string operation, string prefix, CancellationToken ct)
    {
        using var response = await client.GetAsync(url, ct);
        await EnsureSuccessAsync(response, operation, prefix);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return json.RootElement.GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private async Task<HttpStatusCode> PutAsync(string key, ByteBuffer value, bool ifAbsent, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, UrlOf(key)) { Content = new ReadOnlyMemoryContent(value.Memory) };
        if (ifAbsent)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }

        using var response = await client.SendAsync(request, ct);
        if (ifAbsent && response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return response.StatusCode;
        }

        await EnsureSuccessAsync(response, ifAbsent ? OperationNames.SetIfNotExists : OperationNames.Set, key);
        return response.StatusCode;
    }

    public Task<WriteResult> MergeShardAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct = default)
    {
        BeginWrite(key, OperationNames.MergeShard, ct);
        ShardFormat.ValidateChunks(layout, chunks);
        return MergeCoreAsync(key, layout, chunks, ct);
    }

    private async Task<WriteResult> MergeCoreAsync(string key, ShardLayout layout, IReadOnlyList<ShardChunk> chunks, CancellationToken ct)
    {
        var query = $"?chunks={layout.ChunkCount}&index={(layout.IndexLocation == ShardIndexLocation.Start ? "start" : "end")}" +
                    $"&checksum={(layout.IndexChecksum ? "crc32c" : "none")}&endian={(layout.IndexBigEndian ? "big" : "little")}";
        using var body = new MultipartFormDataContent();
        foreach (var chunk in chunks)
        {
            body.Add(new ReadOnlyMemoryContent(chunk.Bytes?.Memory ?? ReadOnlyMemory<byte>.Empty), chunk.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, UrlOf(key) + query) { Content = body }, ct);
        await EnsureSuccessAsync(response, OperationNames.MergeShard, key);
        var tag = response.Headers.ETag?.ToString();
        return new WriteResult(
            response.StatusCode == HttpStatusCode.Created ? WriteOutcome.Created : tag is null ? WriteOutcome.Deleted : WriteOutcome.Replaced, tag);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string key)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
            : (JsonElement?)null;
        var detail = problem?.GetProperty("detail").GetString() ?? $"{operation} {KeyRules.Quote(key)}: HTTP {(int)response.StatusCode}";
        var title = problem?.GetProperty("title").GetString();
        throw response.StatusCode switch
        {
            HttpStatusCode.BadRequest when title == "Corrupt shard" => new ShardFormatException(detail) { Key = key },
            HttpStatusCode.BadRequest when title == "Bad request" => new ArgumentException(detail),
            HttpStatusCode.BadRequest => new InvalidKeyException(detail!),
            HttpStatusCode.MethodNotAllowed => new ReadOnlyStoreException(detail!),
            HttpStatusCode.NotFound => new KeyNotFoundException(detail),
            HttpStatusCode.ServiceUnavailable => new StoreUnavailableException(detail!),
            _ => new HttpRequestException(detail, null, response.StatusCode),
        };
    }
}
