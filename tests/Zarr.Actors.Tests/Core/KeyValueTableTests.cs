using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Core;

/// <summary>
/// The table behind MemoryStore and the test-buffer store: "a name is a key or a directory, never
/// both", and directories that exist only while they hold keys.
/// </summary>
public sealed class KeyValueTableTests
{
    private readonly KeyValueTable _table = new();

    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private string? Read(string key) => _table.TryGet(key, out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    private List<string> Children(string prefix) => _table.ChildrenOf(prefix).Order(StringComparer.Ordinal).ToList();

    [Fact(DisplayName = "Set reports a new key, then a replacement; SetIfNotExists writes only once")]
    public void SetAndSetIfNotExists()
    {
        Assert.True(_table.Set("set", "a/k", Bytes("1")));
        Assert.False(_table.Set("set", "a/k", Bytes("2")));
        Assert.Equal("2", Read("a/k"));
        Assert.False(_table.SetIfNotExists("set_if_not_exists", "a/k", Bytes("3")));
        Assert.Equal("2", Read("a/k"));
        Assert.True(_table.SetIfNotExists("set_if_not_exists", "a/j", Bytes("4")));
        Assert.Equal(2, _table.Count);
    }

    [Fact(DisplayName = "A directory's name cannot become a key, nor a name under a key; the refusal names the operation and key, and changes nothing")]
    public void KeyOrDirectoryNeverBoth()
    {
        _table.Set("set", "a/b/c", Bytes("v"));
        _table.Set("set", "x", Bytes("w"));

        foreach (var (operation, key) in new[] { ("set", "a"), ("set", "a/b"), ("set", "x/y"), ("set", "x/y/z") })
        {
            var error = Assert.Throws<InvalidKeyException>(() => _table.Set(operation, key, Bytes("no")));
            Assert.StartsWith(operation + ":", error.Message, StringComparison.Ordinal);
            Assert.Contains(KeyRules.Quote(key), error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<InvalidKeyException>(() => _table.SetIfNotExists("set_if_not_exists", "a/b", Bytes("no")));
        Assert.Equal(2, _table.Count);
        Assert.Equal(["a", "x"], Children(""));
        Assert.Empty(Children("x"));
        Assert.True(_table.IsEmptyUnder("x"));
        Assert.Equal("w", Read("x"));
    }

    [Fact(DisplayName = "A directory lasts while any key lies beneath it, and its name is free once it is empty")]
    public void DirectoriesLastWhileTheyHoldKeys()
    {
        _table.Set("set", "a/b/c", Bytes("1"));
        _table.Set("set", "a/b/d", Bytes("2"));
        _table.Set("set", "a/e", Bytes("3"));

        Assert.True(_table.Remove("a/b/c"));
        Assert.Equal(["d"], Children("a/b"));
        Assert.False(_table.IsEmptyUnder("a/b"));

        Assert.True(_table.Remove("a/b/d"));
        Assert.True(_table.IsEmptyUnder("a/b"));
        Assert.Empty(Children("a/b"));
        Assert.Equal(["e"], Children("a"));

        Assert.True(_table.Set("set", "a/b", Bytes("now a key")));
        Assert.Equal(["b", "e"], Children("a"));

        Assert.True(_table.Remove("a/b"));
        Assert.True(_table.Remove("a/e"));
        Assert.True(_table.IsEmptyUnder("a"));
        Assert.True(_table.IsEmptyUnder(""));
        Assert.True(_table.Set("set", "a", Bytes("top key")));
    }

    [Fact(DisplayName = "Remove of a missing key or a directory's name removes nothing")]
    public void RemoveOnlyKeys()
    {
        _table.Set("set", "a/b", Bytes("v"));
        Assert.False(_table.Remove("a"));
        Assert.False(_table.Remove("missing"));
        Assert.False(_table.Remove("a/b/c"));
        Assert.Equal(1, _table.Count);
        Assert.Equal(["b"], Children("a"));
    }

    [Fact(DisplayName = "RemoveDirectory removes only keys under prefix + '/'; \"\" removes all")]
    public void RemoveDirectory()
    {
        foreach (var key in new[] { "foo/a", "foo/b/c", "foo-bar/a", "foobar", "x/foo/a", "fo" })
        {
            _table.Set("set", key, Bytes(key));
        }

        _table.RemoveDirectory("foo");
        Assert.Equal(["fo", "foo-bar/a", "foobar", "x/foo/a"], _table.KeysStartingWith("").Order(StringComparer.Ordinal));
        Assert.True(_table.IsEmptyUnder("foo"));
        Assert.True(_table.Set("set", "foo", Bytes("key now")));

        _table.RemoveDirectory("fo");    // a key's name: nothing under "fo/"
        Assert.Equal("fo", Read("fo"));
        Assert.Equal("key now", Read("foo"));

        _table.RemoveDirectory("");
        Assert.Equal(0, _table.Count);
        Assert.Empty(Children(""));
        Assert.True(_table.IsEmptyUnder("x"));
        Assert.True(_table.Set("set", "x", Bytes("a key where a directory was")));
    }

    [Fact(DisplayName = "Listing helpers: plain string prefixes, immediate children once each, sizes under a directory")]
    public void ListingHelpers()
    {
        foreach (var key in new[] { "a/b", "a/c/d", "a/c/e", "ab/c", "abc", "z" })
        {
            _table.Set("set", key, Bytes(key));
        }

        Assert.Equal(["a/b", "a/c/d", "a/c/e", "ab/c", "abc"], _table.KeysStartingWith("a").Order(StringComparer.Ordinal));
        Assert.Equal(["a/c/d", "a/c/e"], _table.KeysStartingWith("a/c/").Order(StringComparer.Ordinal));
        Assert.Equal(["a", "ab", "abc", "z"], Children(""));
        Assert.Equal(["b", "c"], Children("a"));
        Assert.Empty(Children("abc"));
        Assert.Empty(Children("missing"));
        Assert.Empty(Children("ab/c"));
        Assert.Equal(3 + 5 + 5, _table.SizeUnder("a"));
        Assert.Equal(10, _table.SizeUnder("a/c"));
        Assert.Equal(0, _table.SizeUnder("abc"));
        Assert.Equal(3 + 5 + 5 + 4 + 3 + 1, _table.SizeUnder(""));
        Assert.False(_table.IsEmptyUnder("ab"));
        Assert.True(_table.IsEmptyUnder("a/b"));
    }
}
