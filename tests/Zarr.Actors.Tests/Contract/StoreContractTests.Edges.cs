using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>The contract suite: cancellation, disposal, refused writes, overwrites, and partial reads of every shape.</summary>
public abstract partial class StoreContractTests
{
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
}
