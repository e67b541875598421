using Zarr.Buffers;

namespace Zarr.Actors.Protocol;

/// <summary>The key asked for is not stored.</summary>
public sealed class ValueAbsent
{
    public static ValueAbsent Instance { get; } = new();

    private ValueAbsent()
    {
    }
}

/// <summary>A command finished.</summary>
public sealed class Done
{
    public static Done Instance { get; } = new();

    private Done()
    {
    }
}

/// <summary>The values of a <see cref="GetValues"/>, null where a key is absent.</summary>
public sealed record ValuesRead(IReadOnlyList<ByteBuffer?> Values) : IValueMessage
{
    // Replies are not routed; the interface only binds them to the value serializer.
    string IPrefixMessage.Prefix => string.Empty;
}

/// <summary>An owner's own keys (with their total size) and its non-empty child prefixes.</summary>
public sealed record DirectoryListing(IReadOnlyList<string> Keys, IReadOnlyList<string> Children, long KeyBytes);

/// <summary>A directory could not be created because <see cref="Path"/> is a key.</summary>
public sealed record DirectoryConflict(string Path);
