using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Zarr.Actors.Host;

/// <summary>
/// The sizes of a request line and of headers the gateway accepts. Kestrel answers a request over its own
/// limits itself (<c>414</c>, <c>431</c>) before any application code runs, so without CORS headers and
/// unreadable to a browser. Kestrel's limits are therefore set <see cref="KestrelHeadroom"/> times above
/// these, and the gateway answers these limits itself, with CORS. Beyond Kestrel's raised limits, and for
/// requests Kestrel cannot parse at all (a bare <c>400</c>: a malformed request line or header, a NUL or
/// other control byte in the target), Kestrel still answers alone: it offers no hook for those responses.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest request line (method, target, version), as Kestrel's default.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>The most header bytes, as Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>The most header fields, as Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>How far above the gateway's limits Kestrel's own are set.</summary>
    public const int KestrelHeadroom = 4;

    /// <summary>Raises Kestrel's limits above the gateway's, so the gateway answers first.</summary>
    public static void Configure(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = MaxRequestLineBytes * KestrelHeadroom;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * KestrelHeadroom;
        limits.MaxRequestHeaderCount = MaxHeaderCount * KestrelHeadroom;
    }

    /// <summary>The refusal of a request over the gateway's limits, or null when it is within them.</summary>
    public static (int Status, string Title, string Detail)? Check(HttpRequest request, string rawTarget)
    {
        var line = request.Method.Length + 1 + rawTarget.Length + 1 + request.Protocol.Length + 2;
        if (line > MaxRequestLineBytes)
        {
            return (StatusCodes.Status414RequestUriTooLong, "URI too long",
                $"the request line is {line} bytes, over this node's limit of {MaxRequestLineBytes}");
        }

        var count = 0;
        var bytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }

        if (count > MaxHeaderCount || bytes > MaxHeaderBytes)
        {
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"the request has {count} header fields of {bytes} bytes, over this node's limits of {MaxHeaderCount} fields and {MaxHeaderBytes} bytes");
        }

        return null;
    }
}
