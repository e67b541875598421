using System.Text.Json;

namespace Zarr.Actors.Host;

/// <summary>
/// How failures become HTTP answers: each exception of the store contract has one status, and every
/// error is an <c>application/problem+json</c> body.
/// </summary>
public static class HttpProblems
{
    // Keys are shown as written (quotes and non-ASCII unescaped); the body is JSON, never HTML.
    internal static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The status and title of <paramref name="error"/>.</summary>
    public static (int Status, string Title) Of(Exception error) => error switch
    {
        InvalidKeyException => (StatusCodes.Status400BadRequest, "Invalid key"),
        HttpRefusal refusal => (refusal.Status, refusal.Title),
        ReadOnlyStoreException => (StatusCodes.Status405MethodNotAllowed, "Read-only"),
        KeyNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
        StoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Store unavailable"),
        BadHttpRequestException { StatusCode: 413 } => (StatusCodes.Status413PayloadTooLarge, "Value too large"),
        BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
        Shards.ShardFormatException => (StatusCodes.Status400BadRequest, "Corrupt shard"),
        ArgumentException => (StatusCodes.Status400BadRequest, "Bad request"),
        _ => (StatusCodes.Status500InternalServerError, "Internal error"),
    };

    /// <summary>Answers <paramref name="status"/> with a problem body (none for HEAD and 304), unless the response has started.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
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
}
