using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Zarr.Buffers;

namespace Zarr.Actors.Host;

/// <summary>
/// Serves a store over HTTP (the store contract's §4): keys are request paths, values are bodies,
/// directories end with <c>/</c>. Any Zarr client that speaks HTTP (fsspec, zarrita's FetchStore, curl)
/// reads and writes it; browsers too, through CORS. The store decides every rule (keys, read-only,
/// conditions); the gateway only maps its answers and exceptions to HTTP (<see cref="HttpProblems"/>).
/// It runs first in the pipeline, so CORS, the request limits and the token cover every path; the
/// reserved paths it does not serve itself (health checks, Prometheus metrics) go on to their endpoints.
/// </summary>
public sealed class Gateway(IStore store, GatewayOptions options, Func<HealthReport> health)
{
    /// <summary>The paths the endpoints after the gateway serve: health checks and Prometheus metrics.</summary>
    public static readonly IReadOnlySet<string> EndpointPaths = new HashSet<string>(StringComparer.Ordinal)
    {
        "/__health/live", "/__health/ready", "/__metrics",
    };

    private const string ExposedHeaders = "ETag, Content-Range, Accept-Ranges, Content-Length";
    private const string AllowedHeaders = "Range, Content-Type, If-Match, If-None-Match, Authorization";
    private const string AllowedMethods = "GET, HEAD, PUT, PATCH, DELETE, OPTIONS";
    private readonly byte[]? _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Headers.Origin.Count > 0)
        {
            // On every response, errors included, so a browser can read what went wrong.
            response.Headers.AccessControlAllowOrigin = "*";
            response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        if (RequestLimits.Check(request, rawTarget) is { } over)
        {
            await ProblemAsync(context, over.Status, over.Title, over.Detail);
            return;
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

        var rawPath = PathOf(rawTarget);
        if (EndpointPaths.Contains(rawPath))
        {
            await next(context);
            return;
        }

        if (rawPath == "/__health")
        {
            await ServeHealthAsync(context);
            return;
        }

        // Decoded once, as sent: no dot-segment removal, so "%2E%2E" reaches the key rules and is refused.
        if (!KeyPath.TryDecode(rawPath[1..], out var target, out var problem))
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid key", $"{request.Method} {rawPath}: the path names no key: {problem}");
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
        else if (HttpMethods.IsPatch(method))
        {
            await ShardPatch.ServeAsync(context, store, options.MaxValueBytes, key);
        }
        else
        {
            context.Response.Headers.Allow = AllowedMethods;
            await ProblemAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"{method} is not served on keys");
        }
    }

    private async Task GetAsync(HttpContext context, string key, bool head)
    {
        var request = context.Request;
        var response = context.Response;
        var range = RangeHeader.Parse(request.Headers.Range.ToString());
        var ct = context.RequestAborted;
        Answer? answer;
        if (store is not IConditionalStore versioned)
        {
            // A store without versions: the whole value, and no ETag (tags are made at write time, never from bytes).
            answer = await store.GetAsync(key, ct: ct) is { } whole ? new Answer(whole.Length, null, whole, Sliced: false) : null;
        }
        else if (head || request.Headers.IfNoneMatch.Count > 0)
        {
            // The version alone first: a HEAD, or a GET answered 304, reads nothing of the value.
            var version = await versioned.GetVersionAsync(key, ct);
            answer = version is null ? null : new Answer(version.Length, version.Tag, null, Sliced: false);
            if (version is not null && !head && !NotModified(request, version.Tag))
            {
                answer = await ReadAsync(versioned, key, range, ct);
            }
        }
        else
        {
            answer = await ReadAsync(versioned, key, range, ct);
        }

        if (answer is null)
        {
            await ProblemAsync(context, StatusCodes.Status404NotFound, "Not found", StoreErrors.KeyNotFound(OperationNames.Get, key).Message);
            return;
        }

        if (answer.Tag is not null)
        {
            response.Headers.ETag = answer.Tag;
        }

        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "no-cache";
        if (answer.Tag is not null && NotModified(request, answer.Tag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var length = checked((int)answer.Length);
        if (range is not null && !RangeHeader.IsSatisfiable(range, length))
        {
            response.Headers.ContentRange = $"bytes */{length}";
            await ProblemAsync(context, StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
                $"{OperationNames.Get} {KeyRules.Quote(key)}: the range {request.Headers.Range} starts at or past the end of the value ({length} bytes)");
            return;
        }

        var (start, count) = range?.Resolve(length) ?? (0, length);
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{length}";
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength = count;
        if (!head)
        {
            var body = answer.Sliced ? answer.Body! : answer.Body!.Slice(start, count);
            await response.Body.WriteAsync(body.Memory, ct);
        }
    }

    /// <summary>The bytes of <paramref name="range"/> with the whole value's length and tag, in one call: only the range is read.</summary>
    private static async Task<Answer?> ReadAsync(IConditionalStore versioned, string key, ByteRequest? range, CancellationToken ct) =>
        await versioned.GetVersionedAsync(key, range, ct: ct) is { } stored ? new Answer(stored.Length, stored.Tag, stored.Value, Sliced: true) : null;

    private static bool NotModified(HttpRequest request, string tag) => request.Headers.IfNoneMatch.Any(t => t == tag || t == "*");

    /// <summary>What a GET or HEAD found: the value's length and tag, and its bytes (already the range's when <see cref="Sliced"/>) unless only the version was asked.</summary>
    private sealed record Answer(long Length, string? Tag, ByteBuffer? Body, bool Sliced);

    private async Task PutAsync(HttpContext context, string key)
    {
        var condition = Condition(context.Request, out var refusal);
        var operation = OperationNames.OfWrite(condition);

        // Refused before the body is read, in the contract's order: read-only, the key, then the request.
        StoreBase.RefuseBadWrite(store, operation, key);
        if (refusal is not null)
        {
            throw refusal;
        }

        var value = await RequestBody.ReadAsync(context.Request, options.MaxValueBytes, operation, key, context.RequestAborted);
        var result = store is IConditionalStore conditional
            ? await conditional.PutAsync(key, value, condition, context.RequestAborted)
            : await FallbackPutAsync(key, value, condition, context.RequestAborted);
        await RespondToWriteAsync(context, operation, key, result);
    }

    private async Task DeleteAsync(HttpContext context, string key)
    {
        var condition = Condition(context.Request, out var refusal);
        StoreBase.RefuseBadWrite(store, OperationNames.Delete, key);
        if (refusal is not null)
        {
            throw refusal;
        }

        var result = store is IConditionalStore conditional
            ? await conditional.RemoveAsync(key, condition, context.RequestAborted)
            : await FallbackRemoveAsync(key, condition, context.RequestAborted);
        await RespondToWriteAsync(context, OperationNames.Delete, key, result);
    }

    private async Task ServeDirectoryAsync(HttpContext context, string prefix)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsDelete(method))
        {
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
            var keys = await store.ListPrefixAsync(KeyRules.DirectoryOf(KeyRules.NormalizePrefix(prefix, OperationNames.ListPrefix)), context.RequestAborted).ToListAsync();
            listing = new { prefix, keys = keys.Order(StringComparer.Ordinal) };
        }
        else
        {
            var children = await store.ListDirAsync(prefix, context.RequestAborted).ToListAsync();
            listing = new { prefix, children = children.Order(StringComparer.Ordinal) };
        }

        context.Response.ContentType = "application/json";
        if (HttpMethods.IsGet(method))
        {
            await JsonSerializer.SerializeAsync(context.Response.Body, listing, HttpProblems.Json, context.RequestAborted);
        }
    }

    private async Task ServeHealthAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var report = health();
        context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Healthy ? "up" : "unavailable",
            node = report.Node,
            members = report.Members.Select(m => new { address = m.Address, status = m.Status }),
        }, HttpProblems.Json);
    }

    /// <summary>The write's condition from <c>If-None-Match</c> / <c>If-Match</c>; a header it cannot honour sets <paramref name="refusal"/>.</summary>
    private static WriteCondition Condition(HttpRequest request, out HttpRefusal? refusal)
    {
        refusal = null;
        if (request.Headers.IfNoneMatch.Count > 0)
        {
            if (request.Headers.IfNoneMatch.ToString().Trim() == "*")
            {
                return WriteCondition.IfAbsent;
            }

            refusal = HttpRefusal.BadRequest("If-None-Match on a write must be \"*\"");
            return WriteCondition.None;
        }

        if (request.Headers.IfMatch.Count > 0)
        {
            var tags = request.Headers.IfMatch.SelectMany(h => h!.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
            return WriteCondition.IfMatch(tags);
        }

        return WriteCondition.None;
    }

    private async Task RespondToWriteAsync(HttpContext context, string operation, string key, WriteResult result)
    {
        switch (result.Outcome)
        {
            case WriteOutcome.PreconditionFailed:
                await ProblemAsync(context, StatusCodes.Status412PreconditionFailed, "Precondition failed",
                    $"{operation} {KeyRules.Quote(key)}: the key does not meet the request's If-Match / If-None-Match");
                return;
            case WriteOutcome.Created:
                context.Response.StatusCode = StatusCodes.Status201Created;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }

        if (result.Tag is not null)
        {
            context.Response.Headers.ETag = result.Tag;
        }
    }

    private async Task<WriteResult> FallbackPutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct)
    {
        if (condition == WriteCondition.IfAbsent)
        {
            return WriteResult.Of(await store.SetIfNotExistsAsync(key, value, ct) ? WriteOutcome.Created : WriteOutcome.PreconditionFailed);
        }

        if (condition != WriteCondition.None)
        {
            throw HttpRefusal.BadRequest("this store cannot compare-and-set; If-Match is not supported");
        }

        var existed = await store.ExistsAsync(key, ct);
        await store.SetAsync(key, value, ct);
        return WriteResult.Of(existed ? WriteOutcome.Replaced : WriteOutcome.Created);
    }

    private async Task<WriteResult> FallbackRemoveAsync(string key, WriteCondition condition, CancellationToken ct)
    {
        if (condition != WriteCondition.None)
        {
            throw HttpRefusal.BadRequest("this store cannot compare-and-delete; If-Match is not supported");
        }

        await store.DeleteAsync(key, ct);
        return WriteResult.Of(WriteOutcome.Deleted);
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

    /// <summary>The request target's path as sent, without the query: Kestrel's decoded path would turn %2F into / and drop dot segments.</summary>
    private static string PathOf(string rawTarget)
    {
        var query = rawTarget.IndexOf('?');
        var path = query < 0 ? rawTarget : rawTarget[..query];
        return path.StartsWith('/') ? path : "/" + path;
    }

    private async Task FailAsync(HttpContext context, Exception error)
    {
        var (status, title) = HttpProblems.Of(error);
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "GET, HEAD, OPTIONS";
        }

        await ProblemAsync(context, status, title, error.Message);
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail) =>
        HttpProblems.WriteAsync(context, status, title, detail);
}
