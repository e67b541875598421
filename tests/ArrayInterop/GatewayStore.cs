using System.Net;
using System.Net.Http.Headers;
using Zarr.Actors;
using Zarr.Buffers;

namespace Zarr.Arrays.Interop;

/// <summary>
/// The part of <see cref="IStore"/> an array needs (get with byte ranges, set, set-if-absent, delete),
/// spoken to a Zarr.Actors host over its HTTP gateway; listing is not needed here and not offered.
/// </summary>
internal sealed class GatewayStore(HttpClient client) : StoreBase(false)
{
    public override IStore WithReadOnly(bool readOnly = false) => throw new NotSupportedException();

    protected override async Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UrlOf(key));
        request.Headers.Range = byteRange switch
        {
            null => null,
            RangeByteRequest { Start: var start, End: var end } when end > start => new RangeHeaderValue(start, end - 1),
            OffsetByteRequest { Offset: var offset } => new RangeHeaderValue(offset, null),
            SuffixByteRequest { Suffix: > 0 } suffix => new RangeHeaderValue(null, suffix.Suffix),
            _ => throw new NotSupportedException($"an empty byte range of {key}"),
        };
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Check(response, "GET", key);
        return prototype.Convert(ByteBuffer.FromMemory(await response.Content.ReadAsByteArrayAsync(ct)));
    }

    protected override async Task<bool> ExistsCoreAsync(string key, CancellationToken ct)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, UrlOf(key)), ct);
        return response.StatusCode != HttpStatusCode.NotFound && Check(response, "HEAD", key);
    }

    protected override async Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct)
    {
        using var response = await client.PutAsync(UrlOf(key), new ReadOnlyMemoryContent(value.Memory), ct);
        Check(response, "PUT", key);
    }

    protected override async Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, UrlOf(key)) { Content = new ReadOnlyMemoryContent(value.Memory) };
        request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        using var response = await client.SendAsync(request, ct);
        return response.StatusCode != HttpStatusCode.PreconditionFailed && Check(response, "PUT", key);
    }

    protected override async Task DeleteCoreAsync(string key, CancellationToken ct)
    {
        using var response = await client.DeleteAsync(UrlOf(key), ct);
        Check(response, "DELETE", key);
    }

    protected override Task<long> GetSizeCoreAsync(string key, CancellationToken ct) => throw new NotSupportedException();

    protected override Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct) => throw new NotSupportedException();

    protected override Task DeleteDirCoreAsync(string prefix, CancellationToken ct) => throw new NotSupportedException();

    protected override IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, CancellationToken ct) => throw new NotSupportedException();

    protected override IAsyncEnumerable<string> ListDirCoreAsync(string prefix, CancellationToken ct) => throw new NotSupportedException();

    protected override Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct) => throw new NotSupportedException();

    private static string UrlOf(string key) => "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static bool Check(HttpResponseMessage response, string method, string key) =>
        response.IsSuccessStatusCode ? true : throw new HttpRequestException($"{method} {key}: HTTP {(int)response.StatusCode}");
}
