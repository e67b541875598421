namespace Zarr.Actors.Host;

/// <summary>A request the gateway refuses before it reaches the store (a bad header, a body too large).</summary>
public sealed class HttpRefusal(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static HttpRefusal BadRequest(string message) => new(StatusCodes.Status400BadRequest, "Bad request", message);
}
