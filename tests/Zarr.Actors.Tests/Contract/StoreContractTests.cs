using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// The store contract as tests, in the spirit of zarr-python's <c>StoreTests</c>: every store runs
/// them by supplying how to make a fresh store (and, for stores with their own buffer type, how to
/// make values and which prototype to read with).
/// </summary>
public abstract class StoreContractTests : StoreTestBase
{
    protected async Task<string?> ReadAsync(string key, ByteRequest? range = null, IStore? store = null)
    {
        var value = await (store ?? Store).GetAsync(key, Prototype, range);
        if (value is null)
        {
            return null;
        }

        Assert.IsType(Prototype.BufferType, value);
        return Encoding.UTF8.GetString(value.Span);
    }

    protected async Task<List<string>> SortedAsync(IAsyncEnumerable<string> items) => (await items.ToListAsync()).Order(StringComparer.Ordinal).ToList();

    // ---- open, close, views, capabilities -------------------------------------------------------

    [Fact(DisplayName = "Opening an open store throws; a closed store reopens on its next operation")]
    public async Task OpenAndClose()
    {
        await Store.SetAsync("k", Value("v"));
        Assert.True(Store.IsOpen);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.OpenAsync());
        Assert.Equal("store is already open", error.Message);

        Store.Close();
        Assert.False(Store.IsOpen);
        Assert.Equal("v", await ReadAsync("k"));
        Assert.True(Store.IsOpen);

        Store.Close();
        await Store.OpenAsync();
        Assert.True(Store.IsOpen);
    }

    [Fact(DisplayName = "Capabilities are those of a writable, listable store without partial writes")]
    public void Capabilities()
    {
        Assert.False(Store.ReadOnly);
        Assert.True(Store.SupportsWrites);
        Assert.True(Store.SupportsDeletes);
        Assert.True(Store.SupportsListing);
        Assert.False(Store.SupportsPartialWrites);
        Assert.True(Store.SupportsConsolidatedMetadata);
    }

    [Fact(DisplayName = "A read-only view is new, not open, sees the same data, and refuses every write")]
    public async Task ReadOnlyView()
    {
        await Store.SetAsync("a/b", Value("data"));
        var view = Store.WithReadOnly(true);
        Assert.True(view.ReadOnly);
        Assert.False(view.IsOpen);
        Assert.Equal("data", await ReadAsync("a/b", store: view));
        Assert.Equal(["a/b"], await SortedAsync(view.ListAsync()));

        var writes = new Func<Task>[]
        {
            () => view.SetAsync("a/b", Value("x")),
            () => view.SetIfNotExistsAsync("new", Value("x")),
            () => view.DeleteAsync("a/b"),
            () => view.DeleteDirAsync("a"),
            () => view.ClearAsync(),
        };
        foreach (var write in writes)
        {
            var error = await Assert.ThrowsAsync<ReadOnlyStoreException>(write);
            Assert.StartsWith("store was opened in read-only mode and does not support writing", error.Message);
            Assert.IsAssignableFrom<InvalidOperationException>(error);
        }

        Assert.Equal("data", await ReadAsync("a/b"));
        Assert.False(await Store.ExistsAsync("new"));

        // Data written through the writable store shows in the view, and a writable view writes.
        await Store.SetAsync("a/c", Value("later"));
        Assert.Equal("later", await ReadAsync("a/c", store: view));
        var writable = view.WithReadOnly(false);
        Assert.False(writable.ReadOnly);
        await writable.SetAsync("a/d", Value("through a view"));
        Assert.Equal("through a view", await ReadAsync("a/d"));
    }

    [Fact(DisplayName = "A read-only store refuses a write before it looks at the key")]
    public async Task ReadOnlyIsCheckedBeforeTheKey()
    {
        var view = Store.WithReadOnly(true);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.SetAsync("a//b", Value("x")));
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.DeleteAsync("/a"));
    }

    // ---- get and set -------------------------------------------------------------------------------

    [Fact(DisplayName = "Set then Get returns the bytes, as the prototype's buffer type")]
    public async Task SetThenGet()
    {
        await Store.SetAsync("group/array/c/0/3", Value("chunk"));
        var value = await Store.GetAsync("group/array/c/0/3", Prototype);
        Assert.NotNull(value);
        Assert.IsType(Prototype.BufferType, value);
        Assert.Equal(Encoding.UTF8.GetBytes("chunk"), value.ToArray());
    }

    [Fact(DisplayName = "Set overwrites, and empty values are values")]
    public async Task OverwriteAndEmpty()
    {
        await Store.SetAsync("k", Value("first"));
        await Store.SetAsync("k", Value("second"));
        Assert.Equal("second", await ReadAsync("k"));

        await Store.SetAsync("empty", MakeValue([]));
        Assert.True(await Store.ExistsAsync("empty"));
        Assert.Equal(string.Empty, await ReadAsync("empty"));
        Assert.Equal(0, await Store.GetSizeAsync("empty"));
        Assert.Contains("empty", await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "Get of a missing key is null, with or without a range")]
    public async Task MissingKeyIsNull()
    {
        Assert.Null(await Store.GetAsync("missing", Prototype));
        Assert.Null(await Store.GetAsync("missing/deeper", Prototype, new RangeByteRequest(0, 4)));
        Assert.Null(await Store.GetAsync("missing", Prototype, new SuffixByteRequest(2)));
        Assert.Null(await Store.GetAsync("missing", Prototype, new OffsetByteRequest(0)));
    }

    [Fact(DisplayName = "A value does not change when the caller's array changes after FromBytes")]
    public async Task ValuesAreImmutable()
    {
        var bytes = Encoding.UTF8.GetBytes("original");
        await Store.SetAsync("k", MakeValue(bytes));
        bytes[0] = (byte)'X';
        Assert.Equal("original", await ReadAsync("k"));

        var read = await Store.GetAsync("k", Prototype);
        Assert.Equal("original", Encoding.UTF8.GetString(read!.Span));
    }

    // ---- byte ranges -------------------------------------------------------------------------------

    public static TheoryData<ByteRequest, string> Ranges() => new()
    {
        { new RangeByteRequest(0, 4), "0123" },
        { new RangeByteRequest(2, 5), "234" },
        { new RangeByteRequest(3, 3), "" },
        { new RangeByteRequest(8, 20), "89" },
        { new RangeByteRequest(10, 12), "" },
        { new RangeByteRequest(50, 60), "" },
        { new RangeByteRequest(0, 10), "0123456789" },
        { new OffsetByteRequest(0), "0123456789" },
        { new OffsetByteRequest(7), "789" },
        { new OffsetByteRequest(10), "" },
        { new OffsetByteRequest(11), "" },
        { new SuffixByteRequest(3), "789" },
        { new SuffixByteRequest(0), "" },
        { new SuffixByteRequest(10), "0123456789" },
        { new SuffixByteRequest(100), "0123456789" },
    };

    [Theory(DisplayName = "Byte ranges are clamped to the value; empty and past-the-end ranges give empty buffers")]
    [MemberData(nameof(Ranges))]
    public async Task ByteRanges(ByteRequest range, string expected)
    {
        await Store.SetAsync("digits", Value("0123456789"));
        Assert.Equal(expected, await ReadAsync("digits", range));
    }

    [Fact(DisplayName = "Byte ranges of an empty value are empty")]
    public async Task RangesOfEmptyValue()
    {
        await Store.SetAsync("empty", MakeValue([]));
        Assert.Equal("", await ReadAsync("empty", new RangeByteRequest(0, 10)));
        Assert.Equal("", await ReadAsync("empty", new SuffixByteRequest(5)));
        Assert.Equal("", await ReadAsync("empty", new OffsetByteRequest(3)));
    }

    [Fact(DisplayName = "Negative bounds and End < Start are refused when the range is made")]
    public void InvalidRanges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeByteRequest(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeByteRequest(0, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeByteRequest(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OffsetByteRequest(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuffixByteRequest(-1));
    }

    // ---- get partial values ----------------------------------------------------------------------

    [Fact(DisplayName = "GetPartialValues answers in input order, with repeats, and null for missing keys")]
    public async Task PartialValues()
    {
        await Store.SetAsync("a/x", Value("0123456789"));
        await Store.SetAsync("b/y", Value("abcdef"));
        var results = await Store.GetPartialValuesAsync(Prototype,
        [
            ("b/y", new RangeByteRequest(1, 3)),
            ("a/x", null),
            ("missing", null),
            ("a/x", new SuffixByteRequest(2)),
            ("b/y", new OffsetByteRequest(4)),
            ("a/missing", new RangeByteRequest(0, 1)),
            ("a/x", new RangeByteRequest(20, 30)),
        ]);

        Assert.Equal(7, results.Count);
        var texts = results.Select(v => v is null ? null : Encoding.UTF8.GetString(v.Span)).ToList();
        Assert.Equal(["bc", "0123456789", null, "89", "ef", null, ""], texts);
        Assert.All(results.Where(v => v is not null), v => Assert.IsType(Prototype.BufferType, v));
    }

    [Fact(DisplayName = "GetPartialValues enumerates its input once, and an empty input gives an empty list")]
    public async Task PartialValuesEnumerateOnce()
    {
        await Store.SetAsync("k", Value("v"));
        var enumerations = 0;
        IEnumerable<(string, ByteRequest?)> Input()
        {
            enumerations++;
            yield return ("k", null);
            yield return ("k", new RangeByteRequest(0, 1));
        }

        var results = await Store.GetPartialValuesAsync(Prototype, Input());
        Assert.Equal(1, enumerations);
        Assert.Equal(2, results.Count);
        Assert.Empty(await Store.GetPartialValuesAsync(Prototype, []));
    }

    [Fact(DisplayName = "GetPartialValues with any invalid key fails as a whole")]
    public async Task PartialValuesWithInvalidKey()
    {
        await Store.SetAsync("k", Value("v"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.GetPartialValuesAsync(Prototype, [("k", null), ("a//b", null)]));
    }

    // ---- exists, sizes ---------------------------------------------------------------------------

    [Fact(DisplayName = "Exists is true for keys only, never for a pseudo-directory")]
    public async Task ExistsForKeysOnly()
    {
        await Store.SetAsync("a/b/c", Value("v"));
        Assert.True(await Store.ExistsAsync("a/b/c"));
        Assert.False(await Store.ExistsAsync("a/b"));
        Assert.False(await Store.ExistsAsync("a"));
        Assert.False(await Store.ExistsAsync("a/b/c/d"));
        Assert.False(await Store.ExistsAsync("missing"));
    }

    [Fact(DisplayName = "GetSize is the value's length; a missing key throws KeyNotFoundException naming it")]
    public async Task GetSize()
    {
        await Store.SetAsync("a/k", Value("12345"));
        Assert.Equal(5, await Store.GetSizeAsync("a/k"));
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetSizeAsync("a/missing"));
        Assert.Contains("a/missing", error.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetSizeAsync("a"));
    }

    [Fact(DisplayName = "GetSizePrefix sums the keys under prefix + '/', and \"c\" ignores \"cc/0\"")]
    public async Task GetSizePrefix()
    {
        await Store.SetAsync("c/0", Value("12"));
        await Store.SetAsync("c/1/0", Value("345"));
        await Store.SetAsync("cc/0", Value("6789"));
        await Store.SetAsync("top", Value("x"));
        Assert.Equal(5, await Store.GetSizePrefixAsync("c"));
        Assert.Equal(5, await Store.GetSizePrefixAsync("c/"));
        Assert.Equal(3, await Store.GetSizePrefixAsync("c/1"));
        Assert.Equal(4, await Store.GetSizePrefixAsync("cc"));
        Assert.Equal(10, await Store.GetSizePrefixAsync(""));
        Assert.Equal(0, await Store.GetSizePrefixAsync("missing"));
    }

    // ---- set if not exists -----------------------------------------------------------------------

    [Fact(DisplayName = "SetIfNotExists writes once and keeps the first value")]
    public async Task SetIfNotExists()
    {
        Assert.True(await Store.SetIfNotExistsAsync("a/zarr.json", Value("first")));
        Assert.False(await Store.SetIfNotExistsAsync("a/zarr.json", Value("second")));
        Assert.Equal("first", await ReadAsync("a/zarr.json"));

        await Store.DeleteAsync("a/zarr.json");
        Assert.True(await Store.SetIfNotExistsAsync("a/zarr.json", Value("third")));
        Assert.Equal("third", await ReadAsync("a/zarr.json"));
    }

    // ---- delete ----------------------------------------------------------------------------------

    [Fact(DisplayName = "Delete removes exactly the key; a missing key or a directory name deletes nothing")]
    public async Task Delete()
    {
        await Store.SetAsync("a/b", Value("1"));
        await Store.SetAsync("a/bc", Value("2"));
        await Store.SetAsync("x", Value("3"));
        await Store.DeleteAsync("a/b");
        Assert.False(await Store.ExistsAsync("a/b"));
        Assert.True(await Store.ExistsAsync("a/bc"));

        await Store.DeleteAsync("missing");
        await Store.DeleteAsync("a/b");
        await Store.DeleteAsync("a");
        Assert.Equal(["a/bc", "x"], await SortedAsync(Store.ListAsync()));
    }

    [Fact(DisplayName = "DeleteDir removes everything under prefix + '/' and keeps the sibling foo-bar")]
    public async Task DeleteDir()
    {
        await Store.SetAsync("foo/a", Value("1"));
        await Store.SetAsync("foo/b/c", Value("2"));
        await Store.SetAsync("foo/b/d/e", Value("3"));
        await Store.SetAsync("foo-bar/a", Value("4"));
        await Store.SetAsync("foobar", Value("5"));
        await Store.SetAsync("other/foo/a", Value("6"));

        await Store.DeleteDirAsync("foo");
        Assert.Equal(["foo-bar/a", "foobar", "other/foo/a"], await SortedAsync(Store.ListAsync()));
        Assert.DoesNotContain("foo", await Store.ListDirAsync("").ToListAsync());

        await Store.DeleteDirAsync("other/");
        Assert.Equal(["foo-bar/a", "foobar"], await SortedAsync(Store.ListAsync()));
        await Store.DeleteDirAsync("missing");
        await Store.DeleteDirAsync("");
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "Clear removes everything, and the store stays usable")]
    public async Task Clear()
    {
        await Store.SetAsync("a/b/c", Value("1"));
        await Store.SetAsync("d", Value("2"));
        await Store.ClearAsync();
        Assert.Empty(await Store.ListAsync().ToListAsync());
        Assert.True(await Store.IsEmptyAsync(""));
        Assert.Empty(await Store.ListDirAsync("").ToListAsync());

        await Store.SetAsync("a", Value("now a key"));
        Assert.Equal("now a key", await ReadAsync("a"));
    }

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

    // ---- keys ------------------------------------------------------------------------------------

    public static TheoryData<string> InvalidKeys() => new()
    {
        "",
        "/a",
        "a/",
        "/",
        "a//b",
        "a/../b",
        "..",
        ".",
        "./a",
        "a/.",
        "a\u0000b",
        "a\u001fb",
        "a\u007fb",
        "a\u0085b",
        "tab\there",
        "line\nbreak",
        new string('k', 1025),
        // 1,025 bytes in segments that are each short enough.
        string.Join('/', new string('a', 255), new string('b', 255), new string('c', 255), new string('d', 255), "e"),
        "a/" + new string('s', 256),
        "lone\ud800surrogate",
    };

    [Theory(DisplayName = "Invalid keys are refused for every operation with a message naming the key, and nothing is written")]
    [MemberData(nameof(InvalidKeys))]
    public async Task InvalidKeysAreRefused(string key)
    {
        await Store.SetAsync("kept", Value("v"));
        var shown = KeyRules.Quote(key);
        foreach (var operation in new Func<Task>[]
                 {
                     () => Store.SetAsync(key, Value("x")),
                     () => Store.SetIfNotExistsAsync(key, Value("x")),
                     () => Store.GetAsync(key, Prototype),
                     () => Store.ExistsAsync(key),
                     () => Store.GetSizeAsync(key),
                     () => Store.DeleteAsync(key),
                 })
        {
            var error = await Assert.ThrowsAsync<InvalidKeyException>(operation);
            Assert.Contains(shown, error.Message);
            Assert.IsAssignableFrom<ArgumentException>(error);
        }

        Assert.Equal(["kept"], await SortedAsync(Store.ListAsync()));
    }

    public static TheoryData<string> InvalidPrefixes() => new() { "/", "/a", "a//", "a//b", "../a", "a/./b", "a\u0001" };

    [Theory(DisplayName = "Invalid prefixes are refused for every prefix operation")]
    [MemberData(nameof(InvalidPrefixes))]
    public async Task InvalidPrefixesAreRefused(string prefix)
    {
        await Store.SetAsync("a/b", Value("v"));
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await Store.ListPrefixAsync(prefix).ToListAsync());
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await Store.ListDirAsync(prefix).ToListAsync());
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.DeleteDirAsync(prefix));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.GetSizePrefixAsync(prefix));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.IsEmptyAsync(prefix));
        Assert.Equal(["a/b"], await SortedAsync(Store.ListAsync()));
    }

    public static TheoryData<string> ValidUnusualKeys() => new()
    {
        "zarr.json",
        ".zattrs",
        "c/0/0",
        "unicode/ünïcødé/数据",
        "spaces are fine/and so is this",
        "dots.../...in.names",
        "__reserved-looking",
        // 1,024 bytes: 255 + 255 + 255 + 254 + 1 and four slashes.
        string.Join('/', new string('a', 255), new string('b', 255), new string('c', 255), new string('d', 254), "e"),
        "a/" + new string('s', 255),
        string.Join('/', Enumerable.Repeat("d", 300)),
    };

    [Theory(DisplayName = "Unusual but valid keys are stored, read and listed")]
    [MemberData(nameof(ValidUnusualKeys))]
    public async Task UnusualValidKeys(string key)
    {
        await Store.SetAsync(key, Value("v"));
        Assert.Equal("v", await ReadAsync(key));
        Assert.True(await Store.ExistsAsync(key));
        Assert.Equal([key], await Store.ListAsync().ToListAsync());
        Assert.Equal([KeyRules.NameOf(key)], await Store.ListDirAsync(KeyRules.ParentOf(key)).ToListAsync());
        await Store.DeleteAsync(key);
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    // ---- cancellation ----------------------------------------------------------------------------

    [Fact(DisplayName = "An already-cancelled token cancels the call and writes nothing")]
    public async Task CancelledTokens()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SetAsync("k", Value("v"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SetIfNotExistsAsync("k", Value("v"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync("k", Prototype, ct: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.ListAsync(cancelled.Token).ToListAsync());
        Assert.False(await Store.ExistsAsync("k"));
    }

    // ---- closing by disposal ---------------------------------------------------------------------

    [Fact(DisplayName = "DisposeAsync closes the store without losing data, and the next read or write opens it again")]
    public async Task DisposeClosesAndTheNextOperationReopens()
    {
        await Store.SetAsync("k", Value("v"));
        Assert.True(Store.IsOpen);

        await Store.DisposeAsync();
        Assert.False(Store.IsOpen);
        Assert.Equal("v", await ReadAsync("k"));
        Assert.True(Store.IsOpen);

        await Store.DisposeAsync();
        Assert.False(Store.IsOpen);
        await Store.SetAsync("k2", Value("w"));
        Assert.True(Store.IsOpen);

        // A disposed store may also be opened explicitly, and it is then open exactly once.
        await Store.DisposeAsync();
        await Store.OpenAsync();
        Assert.True(Store.IsOpen);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.OpenAsync());

        // Disposing a view stops nothing behind it: the store and the view itself still work.
        var view = Store.WithReadOnly(false);
        await view.DisposeAsync();
        Assert.False(view.IsOpen);
        Assert.Equal(["k", "k2"], await SortedAsync(Store.ListAsync()));
        Assert.Equal("w", await ReadAsync("k2", store: view));
        Assert.True(view.IsOpen);
    }

    // ---- error messages --------------------------------------------------------------------------

    [Fact(DisplayName = "An invalid key's error names the operation and the key, for every key operation")]
    public async Task InvalidKeyErrorsNameOperationAndKey()
    {
        const string key = "bad//key";
        await Store.SetAsync("ok", Value("v"));
        var operations = new (string Stem, Func<Task> Call)[]
        {
            ("set", () => Store.SetAsync(key, Value("x"))),
            ("set", () => Store.SetIfNotExistsAsync(key, Value("x"))),
            ("get", () => Store.GetAsync(key, Prototype)),
            ("get", () => Store.GetAsync(key, Prototype, new RangeByteRequest(0, 1))),
            ("get", () => Store.GetPartialValuesAsync(Prototype, [("ok", null), (key, null)])),
            ("exists", () => Store.ExistsAsync(key)),
            ("size", () => Store.GetSizeAsync(key)),
            ("delete", () => Store.DeleteAsync(key)),
        };
        foreach (var (stem, call) in operations)
        {
            var error = await Assert.ThrowsAsync<InvalidKeyException>(call);
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
            Assert.Contains(stem, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(["ok"], await SortedAsync(Store.ListAsync()));
    }

    [Fact(DisplayName = "An invalid prefix's error names the operation and the prefix, for every prefix operation")]
    public async Task InvalidPrefixErrorsNameOperationAndPrefix()
    {
        const string prefix = "a//b";
        await Store.SetAsync("a/b", Value("v"));
        var operations = new (string Stem, Func<Task> Call)[]
        {
            ("list", async () => await Store.ListPrefixAsync(prefix).ToListAsync()),
            ("list", async () => await Store.ListDirAsync(prefix).ToListAsync()),
            ("delete", () => Store.DeleteDirAsync(prefix)),
            ("size", () => Store.GetSizePrefixAsync(prefix)),
            ("empty", () => Store.IsEmptyAsync(prefix)),
        };
        foreach (var (stem, call) in operations)
        {
            var error = await Assert.ThrowsAsync<InvalidKeyException>(call);
            Assert.Contains(prefix, error.Message, StringComparison.Ordinal);
            Assert.Contains(stem, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(["a/b"], await SortedAsync(Store.ListAsync()));
    }

    [Fact(DisplayName = "GetSize of a missing key, a directory's name or a name under a key names the operation and the key")]
    public async Task KeyNotFoundNamesOperationAndKey()
    {
        await Store.SetAsync("dir/leaf", Value("12345"));
        foreach (var key in new[] { "nowhere/missing", "dir", "dir/leaf/below" })
        {
            var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetSizeAsync(key));
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
            Assert.Contains("size", error.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(5, await Store.GetSizeAsync("dir/leaf"));
    }

    [Fact(DisplayName = "A read-only store refuses even writes that would change nothing, naming the key")]
    public async Task ReadOnlyRefusesNoOpWrites()
    {
        await Store.SetAsync("a/b", Value("data"));
        var view = Store.WithReadOnly(true);
        var writes = new (string? Key, Func<Task> Call)[]
        {
            ("a/b", () => view.SetAsync("a/b", Value("data"))),
            ("a/b", () => view.SetIfNotExistsAsync("a/b", Value("other"))),
            ("missing/key", () => view.DeleteAsync("missing/key")),
            ("missing/dir", () => view.DeleteDirAsync("missing/dir")),
            (null, () => view.DeleteDirAsync("")),
            (null, () => view.ClearAsync()),
        };
        foreach (var (key, call) in writes)
        {
            var error = await Assert.ThrowsAsync<ReadOnlyStoreException>(call);
            Assert.StartsWith("store was opened in read-only mode and does not support writing", error.Message, StringComparison.Ordinal);
            if (key is not null)
            {
                Assert.Contains(key, error.Message, StringComparison.Ordinal);
            }
        }

        // Clearing an already empty store is still a write.
        await Store.ClearAsync();
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.ClearAsync());
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.DeleteDirAsync(""));
        Assert.True(await Store.IsEmptyAsync(""));
    }

    [Fact(DisplayName = "A read-only store reports read-only before an invalid key for set-if-absent and an invalid prefix for DeleteDir")]
    public async Task ReadOnlyIsCheckedBeforeKeysAndPrefixes()
    {
        var view = Store.WithReadOnly(true);
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.SetIfNotExistsAsync("a//b", Value("x")));
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.SetIfNotExistsAsync("", Value("x")));
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.DeleteDirAsync("/"));
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.DeleteDirAsync("a//b"));
        await Assert.ThrowsAsync<ReadOnlyStoreException>(() => view.DeleteAsync(""));
    }

    // ---- refused writes change nothing ----------------------------------------------------------

    [Fact(DisplayName = "A write refused by the key/directory rule changes nothing: bytes, sizes and listings stay")]
    public async Task RefusedWritesChangeNothing()
    {
        await Store.SetAsync("a/b", Value("inner"));
        await Store.SetAsync("c", Value("leaf"));

        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("a", Value("replacement")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync("a", Value("replacement")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync("c/d", Value("below a key")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync("c/d/e", Value("below a key")));

        Assert.Equal(["a/b", "c"], await SortedAsync(Store.ListAsync()));
        Assert.Equal("inner", await ReadAsync("a/b"));
        Assert.Equal("leaf", await ReadAsync("c"));
        Assert.Null(await ReadAsync("a"));
        Assert.Null(await ReadAsync("c/d"));
        Assert.False(await Store.ExistsAsync("a"));
        Assert.False(await Store.ExistsAsync("c/d"));
        Assert.Equal(["a", "c"], await SortedAsync(Store.ListDirAsync("")));
        Assert.Equal(["b"], await SortedAsync(Store.ListDirAsync("a")));
        Assert.Empty(await Store.ListDirAsync("c").ToListAsync());
        Assert.True(await Store.IsEmptyAsync("c"));
        Assert.Equal(5, await Store.GetSizePrefixAsync("a"));
        Assert.Equal(9, await Store.GetSizePrefixAsync(""));
        Assert.Equal(4, await Store.GetSizeAsync("c"));
    }

    // ---- overwrites and ranges -------------------------------------------------------------------

    [Fact(DisplayName = "After an overwrite, byte ranges, sizes and partial reads see the new bytes and the new length")]
    public async Task OverwriteThenReadRanges()
    {
        await Store.SetAsync("a/k", Value("0123456789"));
        Assert.Equal("234", await ReadAsync("a/k", new RangeByteRequest(2, 5)));
        Assert.Equal("89", await ReadAsync("a/k", new SuffixByteRequest(2)));

        await Store.SetAsync("a/k", Value("abcdefghij"));
        Assert.Equal("cde", await ReadAsync("a/k", new RangeByteRequest(2, 5)));
        Assert.Equal("hij", await ReadAsync("a/k", new SuffixByteRequest(3)));
        Assert.Equal("ghij", await ReadAsync("a/k", new OffsetByteRequest(6)));

        // A shorter value: ranges clamp to the new length, not the old one.
        await Store.SetAsync("a/k", Value("xyz"));
        Assert.Equal("z", await ReadAsync("a/k", new RangeByteRequest(2, 5)));
        Assert.Equal("xyz", await ReadAsync("a/k", new SuffixByteRequest(5)));
        Assert.Equal("", await ReadAsync("a/k", new OffsetByteRequest(6)));
        Assert.Equal(3, await Store.GetSizeAsync("a/k"));
        Assert.Equal(3, await Store.GetSizePrefixAsync("a"));
        var partial = await Store.GetPartialValuesAsync(Prototype, [("a/k", new RangeByteRequest(1, 2)), ("a/k", null)]);
        Assert.Equal(["y", "xyz"], partial.Select(v => Encoding.UTF8.GetString(v!.Span)));

        // Deleted and written again with set-if-absent: the new bytes again.
        await Store.DeleteAsync("a/k");
        Assert.Null(await ReadAsync("a/k", new RangeByteRequest(0, 3)));
        Assert.True(await Store.SetIfNotExistsAsync("a/k", Value("new value")));
        Assert.Equal("new", await ReadAsync("a/k", new RangeByteRequest(0, 3)));
        Assert.Equal("value", await ReadAsync("a/k", new SuffixByteRequest(5)));
    }

    // ---- get partial values, more shapes ---------------------------------------------------------

    [Fact(DisplayName = "GetPartialValues keeps input order with one key repeated under different ranges, missing keys between, across prefixes")]
    public async Task PartialValuesOrderAcrossPrefixes()
    {
        await Store.SetAsync("root", Value("ROOT"));
        await Store.SetAsync("p/a", Value("0123456789"));
        await Store.SetAsync("p/b", Value("abcdef"));
        await Store.SetAsync("p/q/c", Value("ABCDEFGHIJ"));
        await Store.SetAsync("x/y/z/d", Value("deep"));

        var results = await Store.GetPartialValuesAsync(Prototype,
        [
            ("p/a", new RangeByteRequest(0, 1)),
            ("p/missing", null),
            ("p/a", new RangeByteRequest(5, 7)),
            ("x/y/z/d", null),
            ("p/a", new SuffixByteRequest(1)),
            ("nowhere/at/all", new RangeByteRequest(0, 2)),
            ("p/a", new OffsetByteRequest(8)),
            ("root", new SuffixByteRequest(2)),
            ("p/q", null),
            ("p/a", null),
            ("p/q/c", new RangeByteRequest(3, 3)),
            ("p/b", new OffsetByteRequest(100)),
            ("p/a/below", null),
            ("p/q/c", new OffsetByteRequest(7)),
            ("p/a", new RangeByteRequest(5, 7)),
            ("root", null),
        ]);

        var texts = results.Select(v => v is null ? null : Encoding.UTF8.GetString(v.Span)).ToList();
        Assert.Equal(
            ["0", null, "56", "deep", "9", null, "89", "OT", null, "0123456789", "", "", null, "HIJ", "56", "ROOT"],
            texts);
        Assert.All(results.Where(v => v is not null), v => Assert.IsType(Prototype.BufferType, v));
    }

    [Fact(DisplayName = "GetPartialValues of 300 mixed requests gives, slot by slot, what Get gives for each")]
    public async Task PartialValuesAgreeWithGet()
    {
        var keys = new[] { "top", "g/a", "g/b", "g/h/c", "g/h/d", "other/e/f/g" };
        for (var i = 0; i < keys.Length; i++)
        {
            await Store.SetAsync(keys[i], Value(new string((char)('A' + i), 3 * i) + keys[i]));
        }

        var names = keys.Concat(["missing", "g/missing", "g/h", "g/a/below", "other/e"]).ToArray();
        ByteRequest?[] ranges =
        [
            null, new RangeByteRequest(0, 1), new RangeByteRequest(2, 9), new RangeByteRequest(4, 4), new RangeByteRequest(30, 40),
            new OffsetByteRequest(0), new OffsetByteRequest(5), new OffsetByteRequest(99), new SuffixByteRequest(1), new SuffixByteRequest(7),
            new SuffixByteRequest(0), new SuffixByteRequest(1000),
        ];
        var random = new Random(20240611);
        var requests = Enumerable.Range(0, 300)
            .Select(_ => (Key: names[random.Next(names.Length)], Range: ranges[random.Next(ranges.Length)]))
            .ToList();

        var results = await Store.GetPartialValuesAsync(Prototype, requests);

        Assert.Equal(requests.Count, results.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var expected = await ReadAsync(requests[i].Key, requests[i].Range);
            var actual = results[i] is { } value ? Encoding.UTF8.GetString(value.Span) : null;
            Assert.True(expected == actual, $"slot {i} ({requests[i].Key}, {requests[i].Range}): expected {expected ?? "null"}, got {actual ?? "null"}");
        }
    }

    [Fact(DisplayName = "Get without a prototype, and GetPartialValues with a null one, return the default buffer type")]
    public async Task NullPrototypeReadsDefaultBuffers()
    {
        // A "json" key: the test-buffer store accepts any prototype for it.
        await Store.SetAsync("g/zarr.json", Value("{}"));
        var value = await Store.GetAsync("g/zarr.json");
        Assert.NotNull(value);
        Assert.IsType(BufferPrototype.Default.BufferType, value);
        Assert.Equal("{}", Encoding.UTF8.GetString(value.Span));

        var values = await Store.GetPartialValuesAsync(null, [("g/zarr.json", new RangeByteRequest(0, 1)), ("g/missing.json", null)]);
        Assert.IsType(BufferPrototype.Default.BufferType, values[0]);
        Assert.Equal("{", Encoding.UTF8.GetString(values[0]!.Span));
        Assert.Null(values[1]);
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

    // ---- keys: byte limits with multi-byte characters --------------------------------------------

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    /// <summary>A segment of 255 UTF-8 bytes and one of 256, each far fewer than 255 chars.</summary>
    public static TheoryData<string, string> MultiByteSegments() => new()
    {
        { Repeat("€", 85), Repeat("€", 85) + "a" },                           // 3 bytes a char: 85 and 86 chars
        { Repeat("é", 127) + "a", Repeat("é", 128) },                         // 2 bytes a char: 128 chars each
        { Repeat("\U0001F600", 63) + "abc", Repeat("\U0001F600", 64) },       // 4 bytes a surrogate pair: 129 and 128 chars
    };

    [Theory(DisplayName = "A segment of 255 UTF-8 bytes of multi-byte characters is accepted; one of 256 bytes is refused")]
    [MemberData(nameof(MultiByteSegments))]
    public async Task SegmentLimitCountsUtf8Bytes(string segment255, string segment256)
    {
        Assert.Equal(255, Encoding.UTF8.GetByteCount(segment255));
        Assert.Equal(256, Encoding.UTF8.GetByteCount(segment256));
        Assert.True(segment256.Length < 255, "the refused segment is shorter than 255 chars: only its bytes break the rule");

        var key = "seg/" + segment255;
        await Store.SetAsync(key, Value("v"));
        Assert.Equal("v", await ReadAsync(key));
        Assert.Equal([segment255], await Store.ListDirAsync("seg").ToListAsync());
        Assert.Equal([key], await Store.ListAsync().ToListAsync());

        var refused = "seg/" + segment256;
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync(refused, Value("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync(refused, Value("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.GetAsync(refused, Prototype));
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await Store.ListDirAsync(refused).ToListAsync());
        Assert.Equal([key], await Store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "A key of exactly 1,024 UTF-8 bytes of multi-byte characters is accepted; 1,025 bytes is refused")]
    public async Task KeyLimitCountsUtf8Bytes()
    {
        var segments = new[] { Repeat("€", 85), Repeat("\U0001F600", 63) + "abc", Repeat("é", 127) + "a", Repeat("ж", 127) };
        var parent = string.Join('/', segments);
        var key = parent + "/x";
        var tooLong = parent + "/é";
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(key));
        Assert.Equal(1025, Encoding.UTF8.GetByteCount(tooLong));
        Assert.True(tooLong.Length < 1024, "the refused key is shorter than 1,024 chars: only its bytes break the rule");

        await Store.SetAsync(key, Value("v"));
        Assert.Equal("v", await ReadAsync(key));
        Assert.Equal(1, await Store.GetSizeAsync(key));
        Assert.Equal(["x"], await Store.ListDirAsync(parent).ToListAsync());
        Assert.Equal([key], await Store.ListPrefixAsync(parent + "/").ToListAsync());

        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetAsync(tooLong, Value("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.SetIfNotExistsAsync(tooLong, Value("x")));
        await Assert.ThrowsAsync<InvalidKeyException>(() => Store.ExistsAsync(tooLong));
        Assert.Equal([key], await Store.ListAsync().ToListAsync());
        Assert.Equal(["x"], await Store.ListDirAsync(parent).ToListAsync());
    }
}
