using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>When a conditional write may go ahead.</summary>
public abstract record WriteCondition
{
    private protected WriteCondition()
    {
    }

    /// <summary>Always (a plain set or delete).</summary>
    public static WriteCondition None { get; } = new Unconditional();

    /// <summary>Only when the key is absent (HTTP <c>If-None-Match: *</c>).</summary>
    public static WriteCondition IfAbsent { get; } = new Absent();

    /// <summary>Only when the key exists and its current version's tag is one of <paramref name="tags"/> (<c>*</c>: any).</summary>
    public static WriteCondition IfMatch(IReadOnlyCollection<string> tags) => new Matching(tags.ToArray());

    /// <summary>
    /// True when a key whose current version has <paramref name="currentTag"/> (null: the key is absent)
    /// meets the condition. Only <see cref="IfMatch"/> looks at the tag itself.
    /// </summary>
    public abstract bool IsMetBy(string? currentTag);

    /// <summary>The tags of an <see cref="IfMatch"/> condition; null for the others.</summary>
    internal virtual IReadOnlyCollection<string>? MatchTags => null;

    /// <summary>True when <see cref="IsMetBy"/> needs the current tag, not only whether the key exists.</summary>
    internal bool ComparesTag => MatchTags is { } tags && !tags.Contains("*");

    private sealed record Unconditional : WriteCondition
    {
        public override bool IsMetBy(string? currentTag) => true;
    }

    private sealed record Absent : WriteCondition
    {
        public override bool IsMetBy(string? currentTag) => currentTag is null;
    }

    private sealed record Matching(IReadOnlyCollection<string> Tags) : WriteCondition
    {
        internal override IReadOnlyCollection<string>? MatchTags => Tags;

        public override bool IsMetBy(string? currentTag) =>
            currentTag is not null && (Tags.Contains("*") || Tags.Contains(currentTag, StringComparer.Ordinal));
    }
}

/// <summary>What a conditional write did.</summary>
public enum WriteOutcome
{
    /// <summary>The key was new.</summary>
    Created,

    /// <summary>An existing value was replaced.</summary>
    Replaced,

    /// <summary>The key was removed.</summary>
    Deleted,

    /// <summary>A delete found nothing to remove.</summary>
    Absent,

    /// <summary>The condition did not hold; nothing changed.</summary>
    PreconditionFailed,
}

/// <summary>
/// What a write did and, when it stored a value, the tag of the version it made (the HTTP <c>ETag</c>).
/// Also the owner's reply to a write.
/// </summary>
public sealed record WriteResult(WriteOutcome Outcome, string? Tag = null) : IProtocolMessage
{
    private static readonly WriteResult[] Cached = Enum.GetValues<WriteOutcome>().Select(o => new WriteResult(o)).ToArray();

    /// <summary>The shared instance for an outcome that made no version: replies allocate nothing.</summary>
    public static WriteResult Of(WriteOutcome outcome) => Cached[(int)outcome];
}

/// <summary>
/// A store whose values carry versions: each stored value has a strong tag fixed when it was written,
/// different for every write (the same bytes written twice included) and never reused after a restart,
/// so a tag names one written version. Writes can depend on the current version atomically, for
/// protocols with ETags (the HTTP gateway's <c>If-None-Match</c> / <c>If-Match</c>), and reads can ask
/// for the version with the bytes, or for the version alone without reading the value.
/// </summary>
public interface IConditionalStore : IStore
{
    /// <summary>Stores the value when <paramref name="condition"/> holds for the current version; the new version's tag when it wrote.</summary>
    Task<WriteResult> PutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct = default);

    /// <summary>Removes the key when <paramref name="condition"/> holds for the current version.</summary>
    Task<WriteResult> RemoveAsync(string key, WriteCondition condition, CancellationToken ct = default);

    /// <summary>
    /// The bytes of <paramref name="range"/> (all when null) with the whole value's length and tag, read
    /// together; only those bytes are read. A range past the end gives an empty slice with the length.
    /// Null when absent.
    /// </summary>
    Task<StoredValue?> GetVersionedAsync(string key, ByteRequest? range = null, BufferPrototype? prototype = null, CancellationToken ct = default);

    /// <summary>The current version's length and tag, without reading the value; null when absent.</summary>
    Task<ValueVersion?> GetVersionAsync(string key, CancellationToken ct = default);
}
