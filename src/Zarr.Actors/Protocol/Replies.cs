using Akka.Actor;
using Zarr.Buffers;

namespace Zarr.Actors.Protocol;

/// <summary>The key asked for is not stored.</summary>
public sealed class ValueAbsent : IProtocolMessage
{
    public static ValueAbsent Instance { get; } = new();

    private ValueAbsent()
    {
    }
}

/// <summary>A command finished.</summary>
public sealed class Done : IProtocolMessage
{
    public static Done Instance { get; } = new();

    private Done()
    {
    }
}

/// <summary>Whether a key is stored.</summary>
public sealed record ValueExistence(bool Exists) : IProtocolMessage
{
    public static ValueExistence Yes { get; } = new(true);

    public static ValueExistence No { get; } = new(false);
}

/// <summary>The length of a stored value.</summary>
public sealed record ValueSize(long Length) : IProtocolMessage;

/// <summary>
/// The values of a <see cref="GetValues"/>, null where a key is absent. Slots listed in
/// <see cref="Deferred"/> were too large to send in one remote frame: read them one by one.
/// </summary>
public sealed record ValuesRead(IReadOnlyList<ByteBuffer?> Values, IReadOnlyList<int> Deferred) : IValueMessage
{
    public ValuesRead(IReadOnlyList<ByteBuffer?> values) : this(values, [])
    {
    }

    public long ValueBytes => Values.Sum(v => (long)(v?.Length ?? 0));
}

/// <summary>
/// A value (or the slice <see cref="Start"/>..+<see cref="Length"/> of it) too large for one remote
/// frame: read it with <see cref="GetValuePiece"/>s carrying <see cref="Tag"/>, the version's tag.
/// <see cref="ValueLength"/> is the whole value's length.
/// </summary>
public sealed record LargeValue(long Start, long Length, string Tag, long ValueLength) : IProtocolMessage;

/// <summary>The value changed while it was being read in pieces: start again.</summary>
public sealed class ValueChanged : IProtocolMessage
{
    public static ValueChanged Instance { get; } = new();

    private ValueChanged()
    {
    }
}

/// <summary>The owner of a prefix, to tell whether it runs on the asking node.</summary>
public sealed record OwnerLocation(IActorRef Owner) : IProtocolMessage;

/// <summary>An owner's own keys (with their total size) and its non-empty child prefixes.</summary>
public sealed record DirectoryListing(IReadOnlyList<string> Keys, IReadOnlyList<string> Children, long KeyBytes) : IProtocolMessage
{
    // Plain arrays on the wire, whatever list the sender built: the allow-list knows no other.
    public IReadOnlyList<string> Keys { get; } = Keys as string[] ?? Keys.ToArray();

    public IReadOnlyList<string> Children { get; } = Children as string[] ?? Children.ToArray();
}

/// <summary>A directory could not be created because <see cref="Path"/> is a key.</summary>
public sealed record DirectoryConflict(string Path) : IProtocolMessage;
