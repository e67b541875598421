using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Zarr.Buffers;

namespace Zarr.Actors.Host;

/// <summary>
/// Serves a store over HTTP (the store contract's §4): keys are request paths, values are bodies,
/// directories end with <c>/</c>. Any Zarr client that speaks HTTP (fsspec, zarrita's FetchStore, curl)
/// reads and writes it; browsers too, through CORS.
/// </summary>
public sealed partial class Gateway(IStore store, GatewayOptions options, GatewayMetrics metrics, Func<HealthReport> health)
{
    private const string ExposedHeaders = "ETag, Content-Range, Accept-Ranges, Content-Length";
    private const string AllowedHeaders = "Range, Content-Type, If-Match, If-None-Match, Authorization";
    private const string AllowedMethods = "GET, HEAD, PUT, DELETE, OPTIONS";
    // Keys are shown as written (quotes and non-ASCII unescaped); the body is JSON, never HTML.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly byte[]? _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);

    public GatewayMetrics Metrics => metrics;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Headers.Origin.Count > 0)
        {
            // On every response, errors included, so a browser can read what went wrong.
            response.Headers.AccessControlAllowOrigin = "*";
            response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers.AccessControlAllowMethods = AllowedMethods;
            response.Headers.AccessControlAllowHeaders = AllowedHeaders;
            response.Headers.AccessControlMaxAge = "86400";
            response.Headers.Allow = AllowedMethods;
            return;
        }

        if (!Authorized(request))
        {
            response.Headers.WWWAuthenticate = "Bearer";
            await ProblemAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "this node needs Authorization: Bearer <token>");
            return;
        }

        var rawPath = RawPath(context);
        if (rawPath is "/__health" or "/__metrics")
        {
            await ServeReservedAsync(context, rawPath);
            return;
        }

        string target;
        try
        {
            // Decoded once, as sent: no dot-segment removal, so "%2E%2E" reaches the key rules and is refused.
            target = Uri.UnescapeDataString(rawPath[1..]);
        }
        catch (UriFormatException)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid key", $"the path {rawPath} does not decode");
            return;
        }

        try
        {
            if (rawPath.EndsWith('/'))
            {
                await ServeDirectoryAsync(context, target.Length == 0 ? string.Empty : target[..^1]);
            }
            else
            {
                await ServeKeyAsync(context, target);
            }
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
        {
            await FailAsync(context, e);
        }
    }

    private async Task ServeKeyAsync(HttpContext context, string key)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            await GetAsync(context, key, HttpMethods.IsHead(method));
        }
        else if (HttpMethods.IsPut(method))
        {
            await PutAsync(context, key);
        }
        else if (HttpMethods.IsDelete(method))
        {
            await DeleteAsync(context, key);
        }
        else
        {
            context.Response.Headers.Allow = AllowedMethods;
            await ProblemAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"{method} is not served on keys");
        }
    }

    private async Task GetAsync(HttpContext context, string key, bool head)
    {
        metrics.Operation(head ? "head" : "get");
        var response = context.Response;
        var value = await store.GetAsync(key, ct: context.RequestAborted);
        if (value is null)
        {
            await ProblemAsync(context, StatusCodes.Status404NotFound, "Not found", $"get: key \"{key}\" not found");
            return;
        }

        var tag = ContentTag.Of(value);
        response.Headers.ETag = tag;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(t => t == tag || t == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var body = value.Memory;
        var range = ParseRange(context.Request.Headers.Range.ToString(), value.Length);
        if (range is { Satisfiable: false })
        {
            response.Headers.ContentRange = $"bytes */{value.Length}";
            await ProblemAsync(context, StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
                $"get: the range {context.Request.Headers.Range} starts at or past the end of \"{key}\" ({value.Length} bytes)");
            return;
        }

        if (range is { } satisfiable)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {satisfiable.Start}-{satisfiable.Start + satisfiable.Length - 1}/{value.Length}";
            body = body.Slice(satisfiable.Start, satisfiable.Length);
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength = body.Length;
        if (!head)
        {
            metrics.Read(body.Length);
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task PutAsync(HttpContext context, string key)
    {
        metrics.Operation("put");
        if (store.ReadOnly)
        {
            throw ReadOnlyStoreException();
        }

        KeyRules.ValidateKey(key, "set");
        var condition = Condition(context.Request);
        var value = await ReadBodyAsync(context, key);
        if (value is null)
        {
            return;
        }

        metrics.Written(value.Length);
        var outcome = store is IConditionalStore conditional
            ? await conditional.PutAsync(key, value, condition, context.RequestAborted)
            : await FallbackPutAsync(key, value, condition, context.RequestAborted);
        await RespondToWriteAsync(context, key, outcome, value);
    }

    private async Task DeleteAsync(HttpContext context, string key)
    {
        metrics.Operation("delete");
        if (store.ReadOnly)
        {
            throw ReadOnlyStoreException();
        }

        var condition = Condition(context.Request);
        var outcome = store is IConditionalStore conditional
            ? await conditional.RemoveAsync(key, condition, context.RequestAborted)
            : await FallbackRemoveAsync(key, condition, context.RequestAborted);
        await RespondToWriteAsync(context, key, outcome, null);
    }

    private async Task ServeDirectoryAsync(HttpContext context, string prefix)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsDelete(method))
        {
            metrics.Operation("delete_dir");
            if (store.ReadOnly)
            {
                throw ReadOnlyStoreException();
            }

            await store.DeleteDirAsync(prefix, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, DELETE, OPTIONS";
            await ProblemAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"{method} is not served on directories");
            return;
        }

        object listing;
        if (string.Equals(context.Request.Query["recursive"], "true", StringComparison.OrdinalIgnoreCase))
        {
            metrics.Operation("list_prefix");
            var keys = await store.ListPrefixAsync(KeyRules.DirectoryOf(KeyRules.NormalizePrefix(prefix, "list_prefix")), context.RequestAborted).ToListAsync();
            listing = new { prefix, keys = keys.Order(StringComparer.Ordinal) };
        }
        else
        {
            metrics.Operation("list_dir");
            var children = await store.ListDirAsync(prefix, context.RequestAborted).ToListAsync();
            listing = new { prefix, children = children.Order(StringComparer.Ordinal) };
        }

        context.Response.ContentType = "application/json";
        if (HttpMethods.IsGet(method))
        {
            await JsonSerializer.SerializeAsync(context.Response.Body, listing, Json, context.RequestAborted);
        }
    }

    private async Task ServeReservedAsync(HttpContext context, string path)
    {
        context.Response.ContentType = "application/json";
        if (path == "/__metrics")
        {
            await JsonSerializer.SerializeAsync(context.Response.Body, metrics.Snapshot(), Json);
            return;
        }

        var report = health();
        context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Healthy ? "up" : "unavailable",
            node = report.Node,
            members = report.Members.Select(m => new { address = m.Address, status = m.Status }),
        }, Json);
    }

    /// <summary>The body as one buffer, or null after answering 413/400. Never holds more than the limit.</summary>
    private async Task<ByteBuffer?> ReadBodyAsync(HttpContext context, string key)
    {
        var request = context.Request;
        var limit = options.MaxValueBytes;
        if (request.ContentLength is { } length)
        {
            if (length > limit)
            {
                await ProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Value too large", $"set \"{key}\": {length} bytes is over this node's limit of {limit}");
                return null;
            }

            // One array of exactly the announced size, handed to the store without another copy.
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await request.Body.ReadAsync(bytes.AsMemory(read), context.RequestAborted);
                if (n == 0)
                {
                    await ProblemAsync(context, StatusCodes.Status400BadRequest, "Incomplete body", $"set \"{key}\": the body ended after {read} of {length} bytes");
                    return null;
                }

                read += n;
            }

            return ByteBuffer.FromMemory(bytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var n = await request.Body.ReadAsync(chunk, context.RequestAborted);
            if (n == 0)
            {
                break;
            }

            if (buffer.Length + n > limit)
            {
                await ProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Value too large", $"set \"{key}\": the body is over this node's limit of {limit} bytes");
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        return ByteBuffer.FromMemory(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static WriteCondition Condition(HttpRequest request)
    {
        if (request.Headers.IfNoneMatch.Count > 0)
        {
            return request.Headers.IfNoneMatch.ToString().Trim() == "*"
                ? WriteCondition.IfAbsent
                : throw new BadRequestException("If-None-Match on a write must be \"*\"");
        }

        if (request.Headers.IfMatch.Count > 0)
        {
            var tags = request.Headers.IfMatch.SelectMany(h => h!.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
            return WriteCondition.IfMatch(tags);
        }

        return WriteCondition.None;
    }

    private async Task RespondToWriteAsync(HttpContext context, string key, WriteOutcome outcome, ByteBuffer? value)
    {
        switch (outcome)
        {
            case WriteOutcome.PreconditionFailed:
                await ProblemAsync(context, StatusCodes.Status412PreconditionFailed, "Precondition failed", $"\"{key}\" does not meet the request's If-Match / If-None-Match");
                return;
            case WriteOutcome.Created:
                context.Response.StatusCode = StatusCodes.Status201Created;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }

        if (value is not null)
        {
            context.Response.Headers.ETag = ContentTag.Of(value);
        }
    }

    private async Task<WriteOutcome> FallbackPutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct)
    {
        if (condition == WriteCondition.IfAbsent)
        {
            return await store.SetIfNotExistsAsync(key, value, ct) ? WriteOutcome.Created : WriteOutcome.PreconditionFailed;
        }

        if (condition != WriteCondition.None)
        {
            throw new BadRequestException("this store cannot compare-and-set; If-Match is not supported");
        }

        var existed = await store.ExistsAsync(key, ct);
        await store.SetAsync(key, value, ct);
        return existed ? WriteOutcome.Replaced : WriteOutcome.Created;
    }

    private async Task<WriteOutcome> FallbackRemoveAsync(string key, WriteCondition condition, CancellationToken ct)
    {
        if (condition != WriteCondition.None)
        {
            throw new BadRequestException("this store cannot compare-and-delete; If-Match is not supported");
        }

        await store.DeleteAsync(key, ct);
        return WriteOutcome.Deleted;
    }

    private bool Authorized(HttpRequest request)
    {
        if (_token is null)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), _token);
    }

    /// <summary>The request path as sent, without the query: Kestrel's decoded path would turn %2F into / and drop dot segments.</summary>
    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        var query = raw.IndexOf('?');
        var path = query < 0 ? raw : raw[..query];
        return path.StartsWith('/') ? path : "/" + path;
    }

    /// <summary>
    /// The one <c>bytes=</c> range of a Range header: null when there is none or it is not one valid range
    /// (then the whole value is served), else the slice, or unsatisfiable when it starts at or past the end.
    /// </summary>
    internal static (int Start, int Length, bool Satisfiable)? ParseRange(string header, int length)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var match = RangePattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        var first = match.Groups[1].Value;
        var last = match.Groups[2].Value;
        if (first.Length == 0 && last.Length == 0)
        {
            return null;
        }

        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return null;
            }

            // RFC 9110: a zero-length suffix, or any suffix of an empty value, selects nothing.
            if (suffix == 0 || length == 0)
            {
                return (0, 0, false);
            }

            var taken = (int)Math.Min(suffix, length);
            return (length - taken, taken, true);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        long end = length - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return null;
            }
        }

        if (start >= length)
        {
            return (0, 0, false);
        }

        end = Math.Min(end, length - 1);
        return ((int)start, (int)(end - start + 1), true);
    }

    [GeneratedRegex(@"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    private static ReadOnlyStoreException ReadOnlyStoreException() =>
        new("store was opened in read-only mode and does not support writing (this node was started with --read-only)");

    private async Task FailAsync(HttpContext context, Exception error)
    {
        var (status, title) = error switch
        {
            InvalidKeyException => (StatusCodes.Status400BadRequest, "Invalid key"),
            BadRequestException => (StatusCodes.Status400BadRequest, "Bad request"),
            Zarr.Actors.ReadOnlyStoreException => (StatusCodes.Status405MethodNotAllowed, "Read-only"),
            KeyNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            StoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Store unavailable"),
            BadHttpRequestException { StatusCode: 413 } => (StatusCodes.Status413PayloadTooLarge, "Value too large"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error"),
        };
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "GET, HEAD, OPTIONS";
        }

        await ProblemAsync(context, status, title, error.Message);
    }

    private async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        metrics.Error(status);
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status304NotModified || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            type = "about:blank",
            title,
            status,
            detail,
            instance = context.Request.Path.ToString(),
        }, Json);
    }

    /// <summary>A request the gateway refuses before it reaches the store.</summary>
    private sealed class BadRequestException(string message) : Exception(message);
}
