using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>The contract suite: key rules, their byte limits, and the errors that name operation and key.</summary>
public abstract partial class StoreContractTests
{
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
}
