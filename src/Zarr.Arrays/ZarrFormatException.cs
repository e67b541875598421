namespace Zarr.Arrays;

/// <summary>
/// A node's stored data is not what Zarr v3 (or this implementation) allows: a malformed or unsupported
/// <c>zarr.json</c>, or a chunk or shard that does not decode. The message names the node's path, the
/// key and what is wrong.
/// </summary>
public class ZarrFormatException : FormatException
{
    public ZarrFormatException(string message) : base(message)
    {
    }

    public ZarrFormatException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>The path of the array or group whose data is at fault.</summary>
    public string? Path { get; init; }

    /// <summary>The store key that holds the faulty bytes.</summary>
    public string? Key { get; init; }
}
