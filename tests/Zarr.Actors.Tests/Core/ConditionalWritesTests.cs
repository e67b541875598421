namespace Zarr.Actors.Tests.Core;

/// <summary><see cref="WriteCondition"/> (If-None-Match / If-Match) against the current version's tag (null: absent).</summary>
public sealed class ConditionalWritesTests
{
    private const string Current = "\"m0123456789abcdef-2\"";
    private const string Stale = "\"m0123456789abcdef-1\"";

    // ---- WriteCondition ------------------------------------------------------------------------

    [Fact(DisplayName = "None is met by anything, present or absent")]
    public void NoneIsAlwaysMet()
    {
        Assert.True(WriteCondition.None.IsMetBy(null));
        Assert.True(WriteCondition.None.IsMetBy(Current));
        Assert.Null(WriteCondition.None.MatchTags);
        Assert.False(WriteCondition.None.ComparesTag);
    }

    [Fact(DisplayName = "IfAbsent is met only by an absent key")]
    public void IfAbsentNeedsAbsence()
    {
        Assert.True(WriteCondition.IfAbsent.IsMetBy(null));
        Assert.False(WriteCondition.IfAbsent.IsMetBy(Current));
        Assert.False(WriteCondition.IfAbsent.IsMetBy(string.Empty));
        Assert.Null(WriteCondition.IfAbsent.MatchTags);
        Assert.False(WriteCondition.IfAbsent.ComparesTag);
        Assert.Same(WriteCondition.IfAbsent, WriteCondition.IfAbsent);
        Assert.NotEqual(WriteCondition.None, WriteCondition.IfAbsent);
    }

    [Fact(DisplayName = "IfMatch(current tag) is met; a stale tag, a missing key or no tags are not")]
    public void IfMatchComparesTags()
    {
        Assert.True(WriteCondition.IfMatch([Current]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([Stale]).IsMetBy(Current));
        Assert.True(WriteCondition.IfMatch([Stale, Current]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([Current]).IsMetBy(null));
        Assert.False(WriteCondition.IfMatch([]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([]).IsMetBy(null));
        Assert.Equal([Current], WriteCondition.IfMatch([Current]).MatchTags!);
        Assert.True(WriteCondition.IfMatch([Current]).ComparesTag);
    }

    [Fact(DisplayName = "IfMatch(*) is met by any present value, never by an absent key, and needs no tag")]
    public void IfMatchAny()
    {
        var any = WriteCondition.IfMatch(["*"]);
        Assert.True(any.IsMetBy(Current));
        Assert.True(any.IsMetBy(string.Empty));
        Assert.False(any.IsMetBy(null));
        Assert.False(any.ComparesTag);
        Assert.True(WriteCondition.IfMatch(["\"0000\"", "*"]).IsMetBy(Current));
    }

    [Fact(DisplayName = "IfMatch compares strong tags exactly: no weak, unquoted or upper-case form matches")]
    public void IfMatchIsExact()
    {
        Assert.False(WriteCondition.IfMatch(["W/" + Current]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([Current.Trim('"')]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([Current.ToUpperInvariant()]).IsMetBy(Current));
        Assert.False(WriteCondition.IfMatch([" " + Current]).IsMetBy(Current));
    }

    [Fact(DisplayName = "IfMatch keeps its own copy of the tags: changing the caller's list afterwards changes nothing")]
    public void IfMatchCopiesTags()
    {
        var tags = new List<string> { Current };
        var condition = WriteCondition.IfMatch(tags);
        tags.Clear();
        tags.Add("\"other\"");
        Assert.True(condition.IsMetBy(Current));
    }
}
