using System.IO.Hashing;
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

    /// <summary>Only when the key exists and its current <see cref="ContentTag"/> is one of <paramref name="tags"/> (<c>*</c>: any).</summary>
    public static WriteCondition IfMatch(IReadOnlyCollection<string> tags) => new Matching(tags.ToArray());

    /// <summary>True when a key whose current value is <paramref name="current"/> (null: absent) meets the condition.</summary>
    public abstract bool IsMetBy(ByteBuffer? current);

    /// <summary>The tags of an <see cref="IfMatch"/> condition; null for the others.</summary>
    internal virtual IReadOnlyCollection<string>? MatchTags => null;

    /// <summary>True when <see cref="IsMetBy"/> looks at the value itself, not only at whether it exists.</summary>
    internal bool ComparesValue => MatchTags is not null;

    private sealed record Unconditional : WriteCondition
    {
        public override bool IsMetBy(ByteBuffer? current) => true;
    }

    private sealed record Absent : WriteCondition
    {
        public override bool IsMetBy(ByteBuffer? current) => current is null;
    }

    private sealed record Matching(IReadOnlyCollection<string> Tags) : WriteCondition
    {
        internal override IReadOnlyCollection<string>? MatchTags => Tags;

        public override bool IsMetBy(ByteBuffer? current)
        {
            if (current is null)
            {
                return false;
            }

            if (Tags.Contains("*"))
            {
                return true;
            }

            var tag = ContentTag.Of(current);
            return Tags.Contains(tag, StringComparer.Ordinal);
        }
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
/// A store that can make a write depend on the current value atomically, for protocols with
/// ETags (the HTTP gateway's <c>If-None-Match</c> / <c>If-Match</c>).
/// </summary>
public interface IConditionalStore : IStore
{
    /// <summary>Stores the value when <paramref name="condition"/> holds for the current one.</summary>
    Task<WriteOutcome> PutAsync(string key, ByteBuffer value, WriteCondition condition, CancellationToken ct = default);

    /// <summary>Removes the key when <paramref name="condition"/> holds for the current value.</summary>
    Task<WriteOutcome> RemoveAsync(string key, WriteCondition condition, CancellationToken ct = default);
}

/// <summary>
/// The strong entity tag of a value: a quoted 128-bit XxHash of its bytes. Equal bytes give equal
/// tags on every node and across restarts; any change of the bytes changes the tag.
/// </summary>
public static class ContentTag
{
    public static string Of(ByteBuffer value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(value.Span, hash);
        return "\"" + Convert.ToHexStringLower(hash) + "\"";
    }
}
