using Zarr.Actors.Protocol;

namespace Zarr.Actors;

/// <summary>
/// A stored value's version without its bytes: its length and the strong tag fixed when it was written.
/// Also the owner's reply to a version query.
/// </summary>
public sealed record ValueVersion(long Length, string Tag) : IProtocolMessage;
