using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// The store contract as tests, in the spirit of zarr-python's <c>StoreTests</c>: every store runs
/// them by supplying how to make a fresh store (and, for stores with their own buffer type, how to
/// make values and which prototype to read with). The tests are grouped in partial files: this one
/// (open, views, get, set, ranges, sizes, delete), <c>.Listing</c>, <c>.Keys</c> (keys and error
/// messages) and <c>.Edges</c> (cancellation, disposal, refused writes, partial reads).
/// </summary>
public abstract partial class StoreContractTests : StoreTestBase
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
}
