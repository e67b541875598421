using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>The contract suite: listing, prefixes, and the rule that a key is never a directory.</summary>
public abstract partial class StoreContractTests
{
    // ---- listing ---------------------------------------------------------------------------------

    [Fact(DisplayName = "List returns every key once")]
    public async Task List()
    {
        Assert.Empty(await Store.ListAsync().ToListAsync());
        var keys = new[] { "zarr.json", "a/zarr.json", "a/c/0/0", "a/c/0/1", "a/c/1/0", "b" };
        foreach (var key in keys)
        {
            await Store.SetAsync(key, Value(key));
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), await SortedAsync(Store.ListAsync()));
    }

    [Fact(DisplayName = "ListPrefix matches a plain string prefix: \"a\" matches \"ab/c\"")]
    public async Task ListPrefix()
    {
        foreach (var key in new[] { "a/b", "a/c/d", "ab/c", "abc", "b/a" })
        {
            await Store.SetAsync(key, Value(key));
        }

        Assert.Equal(["a/b", "a/c/d", "ab/c", "abc"], await SortedAsync(Store.ListPrefixAsync("a")));
        Assert.Equal(["a/b", "a/c/d"], await SortedAsync(Store.ListPrefixAsync("a/")));
        Assert.Equal(["a/c/d"], await SortedAsync(Store.ListPrefixAsync("a/c")));
        Assert.Equal(["ab/c", "abc"], await SortedAsync(Store.ListPrefixAsync("ab")));
        Assert.Equal(5, (await Store.ListPrefixAsync("").ToListAsync()).Count);
        Assert.Empty(await Store.ListPrefixAsync("zzz").ToListAsync());
    }

    [Fact(DisplayName = "ListDir gives immediate children, keys and directories once each, with or without a trailing slash")]
    public async Task ListDir()
    {
        foreach (var key in new[] { "foo/zarr.json", "foo/c/0", "foo/c/1", "foo/bar/baz", "foo-bar/x", "top" })
        {
            await Store.SetAsync(key, Value(key));
        }

        Assert.Equal(["bar", "c", "zarr.json"], await SortedAsync(Store.ListDirAsync("foo")));
        Assert.Equal(["bar", "c", "zarr.json"], await SortedAsync(Store.ListDirAsync("foo/")));
        Assert.Equal(["0", "1"], await SortedAsync(Store.ListDirAsync("foo/c")));
        Assert.Equal(["foo", "foo-bar", "top"], await SortedAsync(Store.ListDirAsync("")));
        Assert.Empty(await Store.ListDirAsync("missing").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("fo").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("top").ToListAsync());
    }

    [Fact(DisplayName = "An emptied directory disappears from listings")]
    public async Task EmptiedDirectoriesDisappear()
    {
        await Store.SetAsync("g/a/c/0", Value("1"));
        await Store.SetAsync("g/b", Value("2"));
        await Store.DeleteAsync("g/a/c/0");
        Assert.Equal(["b"], await SortedAsync(Store.ListDirAsync("g")));
        Assert.Empty(await Store.ListDirAsync("g/a").ToListAsync());
        Assert.True(await Store.IsEmptyAsync("g/a"));

        await Store.DeleteAsync("g/b");
        Assert.Empty(await Store.ListDirAsync("").ToListAsync());
        Assert.True(await Store.IsEmptyAsync(""));
    }

    [Fact(DisplayName = "IsEmpty looks under prefix + '/': \"fo\" is empty when only \"foo/bar\" exists")]
    public async Task IsEmpty()
    {
        Assert.True(await Store.IsEmptyAsync(""));
        await Store.SetAsync("foo/bar", Value("v"));
        Assert.False(await Store.IsEmptyAsync(""));
        Assert.False(await Store.IsEmptyAsync("foo"));
        Assert.False(await Store.IsEmptyAsync("foo/"));
        Assert.True(await Store.IsEmptyAsync("fo"));
        Assert.True(await Store.IsEmptyAsync("foo/bar"));
        Assert.True(await Store.IsEmptyAsync("other"));
    }

    // ---- a key is never a directory --------------------------------------------------------------

    [Fact(DisplayName = "With a/b stored, writing a is refused and nothing is written")]
    public async Task KeyCannotBeADirectory()
    {
        await Store.SetAsync("a/b", Value("v"));
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a", Value("x")));
        Assert.Contains("\"a\"", error.Message);
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync("a", Value("x")));
        Assert.Equal(["a/b"], await SortedAsync(Store.ListAsync()));
        Assert.False(await Store.ExistsAsync("a"));
    }

    [Fact(DisplayName = "With a stored, writing a/b (or deeper) is refused and nothing is written")]
    public async Task DirectoryCannotBeAKey()
    {
        await Store.SetAsync("a", Value("v"));
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a/b", Value("x")));
        Assert.Contains("a/b", error.Message);
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a/b/c/d", Value("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync("a/b", Value("x")));
        Assert.Equal(["a"], await SortedAsync(Store.ListAsync()));
        Assert.Equal(["a"], await SortedAsync(Store.ListDirAsync("")));
        Assert.True(await Store.IsEmptyAsync("a"));
    }

    [Fact(DisplayName = "Once a/ is emptied, a may become a key, and the other way round")]
    public async Task NamesChangeRoleOnceEmpty()
    {
        await Store.SetAsync("a/b/c", Value("v"));
        await Store.DeleteDirAsync("a");
        await Store.SetAsync("a", Value("key now"));
        Assert.Equal("key now", await ReadAsync("a"));

        await Store.DeleteAsync("a");
        await Store.SetAsync("a/b", Value("directory again"));
        Assert.Equal(["a/b"], await SortedAsync(Store.ListAsync()));
    }

    // ---- listing and prefixes, more edges --------------------------------------------------------

    [Fact(DisplayName = "An empty store lists nothing, sizes 0, is empty everywhere, and DeleteDir and Clear succeed on it")]
    public async Task EmptyStoreEdges()
    {
        Assert.Empty(await Store.ListAsync().ToListAsync());
        Assert.Empty(await Store.ListPrefixAsync("").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("a/b/").ToListAsync());
        Assert.Equal(0, await Store.GetSizePrefixAsync(""));
        Assert.Equal(0, await Store.GetSizePrefixAsync("a/b"));
        Assert.True(await Store.IsEmptyAsync(""));
        Assert.True(await Store.IsEmptyAsync("a"));
        await Store.DeleteDirAsync("");
        await Store.DeleteDirAsync("a/b");
        await Store.DeleteAsync("a");
        await Store.ClearAsync();
        Assert.Empty(await Store.ListAsync().ToListAsync());

        await Store.SetAsync("a/b", Value("v"));
        Assert.Equal(["a/b"], await SortedAsync(Store.ListPrefixAsync("")));
    }

    [Fact(DisplayName = "A key's name is not a directory: ListDir, ListPrefix(name + '/'), GetSizePrefix and IsEmpty of it see nothing")]
    public async Task KeyPathIsNotADirectory()
    {
        await Store.SetAsync("g/zarr.json", Value("{}"));
        await Store.SetAsync("g/c/0", Value("12345"));
        await Store.SetAsync("g/cc", Value("x"));

        Assert.Empty(await Store.ListDirAsync("g/zarr.json").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("g/zarr.json/").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("g/cc").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("g/c/0").ToListAsync());
        Assert.Empty(await Store.ListPrefixAsync("g/zarr.json/").ToListAsync());
        Assert.Empty(await Store.ListPrefixAsync("g/cc/").ToListAsync());
        Assert.Equal(0, await Store.GetSizePrefixAsync("g/zarr.json"));
        Assert.Equal(0, await Store.GetSizePrefixAsync("g/cc"));
        Assert.Equal(0, await Store.GetSizePrefixAsync("g/c/0/"));
        Assert.True(await Store.IsEmptyAsync("g/zarr.json"));
        Assert.True(await Store.IsEmptyAsync("g/c/0"));

        // ...while the plain string prefix still matches the key itself, and the real directory is listed.
        Assert.Equal(["g/zarr.json"], await SortedAsync(Store.ListPrefixAsync("g/zarr.json")));
        Assert.Equal(["g/c/0"], await SortedAsync(Store.ListPrefixAsync("g/c/0")));
        Assert.Equal(["g/c/0", "g/cc"], await SortedAsync(Store.ListPrefixAsync("g/c")));
        Assert.Equal(["0"], await SortedAsync(Store.ListDirAsync("g/c")));
        Assert.Equal(5, await Store.GetSizePrefixAsync("g/c"));
    }

    [Fact(DisplayName = "A pseudo-directory's name reads as absent, with or without a range")]
    public async Task DirectoryNameReadsAsAbsent()
    {
        await Store.SetAsync("a/b/c", Value("v"));
        Assert.Null(await ReadAsync("a"));
        Assert.Null(await ReadAsync("a/b"));
        Assert.Null(await ReadAsync("a/b", new RangeByteRequest(0, 1)));
        Assert.Null(await ReadAsync("a", new SuffixByteRequest(1)));
        var values = await Store.GetPartialValuesAsync(Prototype, [("a", null), ("a/b/c", null), ("a/b", new OffsetByteRequest(0))]);
        Assert.Null(values[0]);
        Assert.Equal("v", Encoding.UTF8.GetString(values[1]!.Span));
        Assert.Null(values[2]);
    }

    [Fact(DisplayName = "ListPrefix(\"\") lists exactly the keys List lists")]
    public async Task ListPrefixOfEmptyStringListsAll()
    {
        var keys = new[] { "zarr.json", "a/zarr.json", "a/b/c/0", "ab", "z/y/x/w/v", "ünï/cødé" };
        foreach (var key in keys)
        {
            await Store.SetAsync(key, Value(key));
        }

        var all = await Store.ListPrefixAsync("").ToListAsync();
        Assert.Equal(keys.Length, all.Count);
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Equal(await SortedAsync(Store.ListAsync()), all.Order(StringComparer.Ordinal));
    }

    [Fact(DisplayName = "DeleteDir of a key's name removes nothing: the key is not under name + '/'")]
    public async Task DeleteDirOfAKeyKeepsTheKey()
    {
        await Store.SetAsync("x", Value("1"));
        await Store.SetAsync("x-y/z", Value("2"));
        await Store.SetAsync("d/k", Value("3"));
        await Store.SetAsync("d/k2/a", Value("4"));

        await Store.DeleteDirAsync("x");
        await Store.DeleteDirAsync("x/");
        await Store.DeleteDirAsync("d/k");

        Assert.Equal(["d/k", "d/k2/a", "x", "x-y/z"], await SortedAsync(Store.ListAsync()));
        Assert.Equal("1", await ReadAsync("x"));
        Assert.Equal("3", await ReadAsync("d/k"));
    }

    [Fact(DisplayName = "DeleteDir(\"\") removes keys at every depth, and every name is free again")]
    public async Task DeleteDirOfRootEmptiesEverything()
    {
        foreach (var key in new[] { "top", "a/b", "a/c/d/e", "f/g/h" })
        {
            await Store.SetAsync(key, Value(key));
        }

        await Store.DeleteDirAsync("");
        Assert.Empty(await Store.ListAsync().ToListAsync());
        Assert.Empty(await Store.ListDirAsync("").ToListAsync());
        Assert.Empty(await Store.ListDirAsync("a").ToListAsync());
        Assert.Equal(0, await Store.GetSizePrefixAsync(""));
        Assert.True(await Store.IsEmptyAsync("a/c"));
        Assert.False(await Store.ExistsAsync("a/c/d/e"));

        // Former directories may now be keys, and a former key a directory.
        await Store.SetAsync("a", Value("key"));
        await Store.SetAsync("a-c", Value("key too"));
        await Store.SetAsync("top/now/a/directory", Value("dir"));
        Assert.Equal(["a", "a-c", "top/now/a/directory"], await SortedAsync(Store.ListAsync()));
    }

    // ---- delete and role changes, more edges -----------------------------------------------------

    [Fact(DisplayName = "Delete of a directory's name, at any depth, deletes nothing")]
    public async Task DeleteOfDirectoryNamesDeletesNothing()
    {
        await Store.SetAsync("a/b/c", Value("1"));
        await Store.SetAsync("a/b/d/e", Value("22"));
        await Store.SetAsync("a/f", Value("333"));

        await Store.DeleteAsync("a");
        await Store.DeleteAsync("a/b");
        await Store.DeleteAsync("a/b/d");

        Assert.Equal(["a/b/c", "a/b/d/e", "a/f"], await SortedAsync(Store.ListAsync()));
        Assert.Equal(["c", "d"], await SortedAsync(Store.ListDirAsync("a/b")));
        Assert.Equal(6, await Store.GetSizePrefixAsync("a"));
        Assert.Equal("22", await ReadAsync("a/b/d/e"));
    }

    [Fact(DisplayName = "A nested name changes role once emptied, while its parent keeps other keys")]
    public async Task NestedNamesChangeRoleOnceEmpty()
    {
        await Store.SetAsync("a/b/c", Value("1"));
        await Store.SetAsync("a/d", Value("2"));

        await Store.DeleteDirAsync("a/b");
        await Store.SetAsync("a/b", Value("now a key"));
        Assert.Equal(["b", "d"], await SortedAsync(Store.ListDirAsync("a")));
        Assert.True(await Store.ExistsAsync("a/b"));
        Assert.True(await Store.IsEmptyAsync("a/b"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a/b/c", Value("refused")));

        await Store.DeleteAsync("a/b");
        await Store.SetAsync("a/b/c/e", Value("a directory again"));
        Assert.Equal(["c"], await SortedAsync(Store.ListDirAsync("a/b")));
        Assert.Equal(["a/b/c/e", "a/d"], await SortedAsync(Store.ListAsync()));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a/b", Value("refused")));
        Assert.False(await Store.ExistsAsync("a/b"));
    }
}
