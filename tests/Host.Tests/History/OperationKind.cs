namespace Zarr.Actors.Host.Tests.History;

/// <summary>What a client asked of one key.</summary>
public enum OperationKind
{
    /// <summary>GET: the value, or absent (404).</summary>
    Read,

    /// <summary>PUT: 201 when the key was absent, 204 when it replaced a value.</summary>
    Write,

    /// <summary>PUT with <c>If-Match</c>: 2xx when the value was the expected one, else 412.</summary>
    CompareAndSet,

    /// <summary>PUT with <c>If-None-Match: *</c>: 201 when the key was absent, else 412.</summary>
    SetIfAbsent,

    /// <summary>DELETE: 204, whether or not the key existed.</summary>
    Delete,

    /// <summary>DELETE with <c>If-Match</c>: 204 when the value was the expected one, else 412.</summary>
    CompareAndDelete,
}
