using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Zarr.Actors.Shards;
using Zarr.Buffers;

namespace Zarr.Actors.Bench.Scenarios;

/// <summary>
/// The writers of shard-writes as HTTP clients in other languages would be: each encodes its inner chunk
/// itself (raw little-endian int32, the array's only codec) and either PATCHes it into the shard, or GETs
/// the shard, puts it in and PUTs the shard back, conditionally (<c>If-Match</c> with the GET's ETag, or
/// <c>If-None-Match: *</c>; again on <c>412</c>) or not at all.
/// </summary>
internal sealed class ShardWritesOverHttp(HttpClient client)
{
    private static readonly ShardLayout Layout = new(ShardWrites.Writers, ShardIndexLocation.End, IndexChecksum: true);

    // The shard's grid of inner chunks is 16 x 1: the layout a client that knows its array sends along.
    private static readonly string LayoutQuery = $"?chunks={ShardWrites.Writers},1&index=end&checksum=crc32c";

    private readonly ByteBuffer?[,] _cached = new ByteBuffer?[ShardWrites.Writers, ShardWrites.Shards];
    private long _conditionalWrites;
    private long _retries;

    /// <summary>412 answers per inner chunk the compare-and-set writers wrote.</summary>
    public double RetriesPerWrite => Interlocked.Read(ref _conditionalWrites) == 0 ? 0 : (double)Interlocked.Read(ref _retries) / Interlocked.Read(ref _conditionalWrites);

    public ShardWrites.ShardWrite Writer(string path, string strategy) => (writer, shard, round, ct) =>
    {
        var key = $"{path}/c/0/{shard}";
        var bytes = round > 0 ? Encode(round, writer, shard) : _cached[writer, shard] ??= Encode(0, writer, shard);
        return strategy switch
        {
            "merge" => MergeAsync(key, writer, bytes, ct),
            "compare_and_set" => ReadModifyWriteAsync(key, writer, bytes, conditional: true, ct),
            _ => ReadModifyWriteAsync(key, writer, bytes, conditional: false, ct),
        };
    };

    private static ByteBuffer Encode(int round, int writer, int shard) =>
        ShardWrites.InnerChunk(round, writer, shard).ToBytes(Endianness.Little);

    private async Task MergeAsync(string key, int writer, ByteBuffer bytes, CancellationToken ct)
    {
        using var body = new MultipartFormDataContent { { new ReadOnlyMemoryContent(bytes.Memory), $"{writer.ToString(CultureInfo.InvariantCulture)},0" } };
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/" + key + LayoutQuery) { Content = body }, ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task ReadModifyWriteAsync(string key, int writer, ByteBuffer bytes, bool conditional, CancellationToken ct)
    {
        while (true)
        {
            ByteBuffer? current = null;
            EntityTagHeaderValue? tag;
            using (var get = await client.GetAsync("/" + key, ct))
            {
                if (get.StatusCode != HttpStatusCode.NotFound)
                {
                    get.EnsureSuccessStatusCode();
                    current = ByteBuffer.FromMemory(await get.Content.ReadAsByteArrayAsync(ct));
                }

                tag = get.Headers.ETag;
            }

            var merged = ShardFormat.Merge(key, current, Layout, [new ShardChunk(writer, bytes)])!;
            using var put = new HttpRequestMessage(HttpMethod.Put, "/" + key) { Content = new ReadOnlyMemoryContent(merged.Memory) };
            if (conditional && current is null)
            {
                put.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
            }
            else if (conditional)
            {
                put.Headers.IfMatch.Add(tag!);
            }

            using var response = await client.SendAsync(put, ct);
            if (conditional && response.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                Interlocked.Increment(ref _retries);
                continue;
            }

            response.EnsureSuccessStatusCode();
            if (conditional)
            {
                Interlocked.Increment(ref _conditionalWrites);
            }

            return;
        }
    }
}
