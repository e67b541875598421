using System.Text;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Core;

/// <summary><see cref="ContentTag"/> (the ETag of a value) and <see cref="WriteCondition"/> (If-None-Match / If-Match).</summary>
public sealed class ConditionalWritesTests
{
    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    // ---- ContentTag ----------------------------------------------------------------------------

    [Fact(DisplayName = "A tag is a strong, quoted, 128-bit hex tag")]
    public void TagFormat()
    {
        foreach (var value in new[] { ByteBuffer.Empty, Bytes("a"), Bytes(new string('x', 100_000)) })
        {
            Assert.Matches("^\"[0-9a-f]{32}\"$", ContentTag.Of(value));
        }
    }

    [Fact(DisplayName = "Equal bytes give equal tags, whatever the buffer type, the copy or the slice")]
    public void EqualBytesEqualTags()
    {
        var tag = ContentTag.Of(Bytes("chunk bytes"));
        Assert.Equal(tag, ContentTag.Of(Bytes("chunk bytes")));
        Assert.Equal(tag, ContentTag.Of(TestBuffer.FromBytes(Encoding.UTF8.GetBytes("chunk bytes"))));
        Assert.Equal(tag, ContentTag.Of(ByteBuffer.FromMemory(Encoding.UTF8.GetBytes("chunk bytes"))));
        Assert.Equal(tag, ContentTag.Of(Bytes("[chunk bytes]").Slice(1, 11)));
        Assert.Equal(tag, ContentTag.Of(Bytes("chunk ") + Bytes("bytes")));
        Assert.Equal(ContentTag.Of(ByteBuffer.Empty), ContentTag.Of(ByteBuffer.FromBytes([])));
    }

    [Fact(DisplayName = "Tags are fixed values: the same on every node and after a restart")]
    public void TagsAreStable()
    {
        // The XXH3-128 (seed 0) digests of "" and "abc"; a per-process or randomized hash would change these.
        Assert.Equal(TagOfEmpty, ContentTag.Of(ByteBuffer.Empty));
        Assert.Equal(TagOfAbc, ContentTag.Of(Bytes("abc")));
    }

    private const string TagOfEmpty = "\"99aa06d3014798d86001c324468d497f\"";
    private const string TagOfAbc = "\"06b05ab6733a618578af5f94892f3950\"";

    [Fact(DisplayName = "Any change of the bytes changes the tag: each single-byte change, a longer or shorter value")]
    public void ChangedBytesChangeTheTag()
    {
        var original = Encoding.UTF8.GetBytes(new string('v', 64));
        var tags = new HashSet<string>(StringComparer.Ordinal) { ContentTag.Of(ByteBuffer.FromBytes(original)) };
        for (var i = 0; i < original.Length; i++)
        {
            var changed = (byte[])original.Clone();
            changed[i] ^= 0x01;
            Assert.True(tags.Add(ContentTag.Of(ByteBuffer.FromBytes(changed))), $"changing byte {i} kept a tag already seen");
        }

        Assert.True(tags.Add(ContentTag.Of(ByteBuffer.FromBytes(original.AsSpan(0, 63)))));
        Assert.True(tags.Add(ContentTag.Of(ByteBuffer.FromBytes([.. original, 0]))));
        Assert.True(tags.Add(ContentTag.Of(ByteBuffer.Empty)));
        Assert.NotEqual(ContentTag.Of(ByteBuffer.Empty), ContentTag.Of(ByteBuffer.FromBytes([0])));
    }

    [Fact(DisplayName = "ContentTag.Of(null) throws ArgumentNullException")]
    public void TagOfNull() => Assert.Throws<ArgumentNullException>(() => ContentTag.Of(null!));

    // ---- WriteCondition ------------------------------------------------------------------------

    [Fact(DisplayName = "None is met by anything, present or absent")]
    public void NoneIsAlwaysMet()
    {
        Assert.True(WriteCondition.None.IsMetBy(null));
        Assert.True(WriteCondition.None.IsMetBy(ByteBuffer.Empty));
        Assert.True(WriteCondition.None.IsMetBy(Bytes("v")));
        Assert.Null(WriteCondition.None.MatchTags);
    }

    [Fact(DisplayName = "IfAbsent is met only by an absent key; an empty value is present")]
    public void IfAbsentNeedsAbsence()
    {
        Assert.True(WriteCondition.IfAbsent.IsMetBy(null));
        Assert.False(WriteCondition.IfAbsent.IsMetBy(ByteBuffer.Empty));
        Assert.False(WriteCondition.IfAbsent.IsMetBy(Bytes("v")));
        Assert.Null(WriteCondition.IfAbsent.MatchTags);
        Assert.Same(WriteCondition.IfAbsent, WriteCondition.IfAbsent);
        Assert.NotEqual(WriteCondition.None, WriteCondition.IfAbsent);
    }

    [Fact(DisplayName = "IfMatch(current tag) is met; a stale tag, a missing key or no tags are not")]
    public void IfMatchComparesTags()
    {
        var current = Bytes("version 2");
        var currentTag = ContentTag.Of(current);
        var staleTag = ContentTag.Of(Bytes("version 1"));

        Assert.True(WriteCondition.IfMatch([currentTag]).IsMetBy(current));
        Assert.True(WriteCondition.IfMatch([currentTag]).IsMetBy(Bytes("version 2")));
        Assert.False(WriteCondition.IfMatch([staleTag]).IsMetBy(current));
        Assert.True(WriteCondition.IfMatch([staleTag, currentTag]).IsMetBy(current));
        Assert.False(WriteCondition.IfMatch([currentTag]).IsMetBy(null));
        Assert.False(WriteCondition.IfMatch([]).IsMetBy(current));
        Assert.False(WriteCondition.IfMatch([]).IsMetBy(null));
        Assert.Equal([currentTag], WriteCondition.IfMatch([currentTag]).MatchTags!);
    }

    [Fact(DisplayName = "IfMatch(*) is met by any present value, empty included, never by an absent key")]
    public void IfMatchAny()
    {
        var any = WriteCondition.IfMatch(["*"]);
        Assert.True(any.IsMetBy(Bytes("anything")));
        Assert.True(any.IsMetBy(ByteBuffer.Empty));
        Assert.False(any.IsMetBy(null));
        Assert.True(WriteCondition.IfMatch(["\"0000\"", "*"]).IsMetBy(Bytes("x")));
    }

    [Fact(DisplayName = "IfMatch compares strong tags exactly: no weak, unquoted or upper-case form matches")]
    public void IfMatchIsExact()
    {
        var value = Bytes("value");
        var tag = ContentTag.Of(value);
        Assert.False(WriteCondition.IfMatch(["W/" + tag]).IsMetBy(value));
        Assert.False(WriteCondition.IfMatch([tag.Trim('"')]).IsMetBy(value));
        Assert.False(WriteCondition.IfMatch([tag.ToUpperInvariant()]).IsMetBy(value));
        Assert.False(WriteCondition.IfMatch([" " + tag]).IsMetBy(value));
    }

    [Fact(DisplayName = "IfMatch keeps its own copy of the tags: changing the caller's list afterwards changes nothing")]
    public void IfMatchCopiesTags()
    {
        var value = Bytes("value");
        var tags = new List<string> { ContentTag.Of(value) };
        var condition = WriteCondition.IfMatch(tags);
        tags.Clear();
        tags.Add("\"other\"");
        Assert.True(condition.IsMetBy(value));
    }
}
