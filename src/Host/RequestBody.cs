using Zarr.Buffers;

namespace Zarr.Actors.Host;

/// <summary>A PUT's body as one buffer, never holding more than the node's limit.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body of <paramref name="request"/>; <see cref="HttpRefusal"/> (413) when it is over <paramref name="limit"/>,
    /// with or without <c>Content-Length</c>, and (400) when it ends before its announced length.
    /// </summary>
    public static async Task<ByteBuffer> ReadAsync(HttpRequest request, long limit, string operation, string key, CancellationToken ct)
    {
        if (request.ContentLength is { } length)
        {
            if (length > limit)
            {
                throw TooLarge($"{operation} {KeyRules.Quote(key)}: {length} bytes is over this node's limit of {limit}");
            }

            // One array of exactly the announced size, handed to the store without another copy.
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await request.Body.ReadAsync(bytes.AsMemory(read), ct);
                if (n == 0)
                {
                    throw new HttpRefusal(StatusCodes.Status400BadRequest, "Incomplete body",
                        $"{operation} {KeyRules.Quote(key)}: the body ended after {read} of {length} bytes");
                }

                read += n;
            }

            return ByteBuffer.FromMemory(bytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var n = await request.Body.ReadAsync(chunk, ct);
            if (n == 0)
            {
                break;
            }

            if (buffer.Length + n > limit)
            {
                throw TooLarge($"{operation} {KeyRules.Quote(key)}: the body is over this node's limit of {limit} bytes");
            }

            buffer.Write(chunk, 0, n);
        }

        return ByteBuffer.FromMemory(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static HttpRefusal TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, "Value too large", message);
}
