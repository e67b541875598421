using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// Bytes of a stored value read together with its version: <see cref="Value"/> is the slice asked for,
/// <see cref="Length"/> the whole value's length and <see cref="Tag"/> its version's strong tag (quoted, as
/// an HTTP <c>ETag</c>). Also the owner's reply to a versioned read.
/// </summary>
public sealed record StoredValue(ByteBuffer Value, long Length, string Tag) : IValueMessage
{
    public long ValueBytes => Value.Length;
}
