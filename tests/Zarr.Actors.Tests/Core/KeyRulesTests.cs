using System.Text;

namespace Zarr.Actors.Tests.Core;

/// <summary>The contract's "Keys" section, rule by rule, on <see cref="KeyRules"/> itself.</summary>
public sealed class KeyRulesTests
{
    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    /// <summary>A key of exactly 1,024 bytes: 255 + 255 + 255 + 254 + 1 and four slashes.</summary>
    private static readonly string Key1024 = string.Join('/', Repeat("a", 255), Repeat("b", 255), Repeat("c", 255), Repeat("d", 254), "e");

    // ---- keys: valid --------------------------------------------------------------------------

    public static TheoryData<string> ValidKeys() => new()
    {
        "a",
        "zarr.json",
        ".zattrs",
        "..a",
        "a..",
        "...",
        ".a/b.",
        "a/b/c/0/0",
        "with space",
        " ",
        "ünïcødé/数据/\U0001F600",
        "no\u00a0break",          // U+00A0, the first char after the C1 controls
        "tilde~\u007e",            // U+007E, the last char before DEL
        "zero\u200bwidth",         // a format char, not a control char
        "bom\ufeff",
        "back\\slash",
        "colon:and*star?",
        Repeat("€", 85),           // a segment of exactly 255 bytes
        Key1024,
        string.Join('/', Enumerable.Repeat("d", 512)), // 1,023 bytes of one-char segments
    };

    [Theory(DisplayName = "Valid keys pass ValidateKey")]
    [MemberData(nameof(ValidKeys))]
    public void ValidKeysPass(string key)
    {
        KeyRules.ValidateKey(key, "set");
        Assert.Equal(key, KeyRules.NormalizePrefix(key, "list_dir"));
    }

    // ---- keys: invalid, with the rule each breaks ----------------------------------------------

    public static TheoryData<string, string> InvalidKeys() => new()
    {
        { "", "empty" },
        { "/a", "start" },
        { "/", "start" },
        { "a/", "end" },
        { "a/b/", "end" },
        { "a//b", "empty segment" },
        { "a///b", "empty segment" },
        { ".", "\".\"" },
        { "..", "\"..\"" },
        { "./a", "\".\"" },
        { "a/.", "\".\"" },
        { "a/./b", "\".\"" },
        { "a/../b", "\"..\"" },
        { "../a", "\"..\"" },
        { "a\u0000b", "control" },
        { "\t", "control" },
        { "a\rb", "control" },
        { new string('k', 1025), "1024" },
        { string.Join('/', Repeat("a", 255), Repeat("b", 255), Repeat("c", 255), Repeat("d", 255), "e"), "1024" },
        { Repeat("é", 512) + "/x", "1024" },           // 1,026 bytes in 514 chars
        { "a/" + new string('s', 256), "255" },
        { "a/" + Repeat("é", 128), "255" },            // 256 bytes in 128 chars
        { Repeat("\U0001F600", 64), "255" },           // 256 bytes in 128 chars
        { "lone\ud800high", "surrogate" },
        { "lone\udc00low", "surrogate" },
        { "swapped\udc00\ud800", "surrogate" },
        { "\ud83d", "surrogate" },
    };

    [Theory(DisplayName = "Invalid keys throw InvalidKeyException naming the operation, the key and the rule")]
    [MemberData(nameof(InvalidKeys))]
    public void InvalidKeysAreRefused(string key, string rule)
    {
        var error = Assert.Throws<InvalidKeyException>(() => KeyRules.ValidateKey(key, "set_if_not_exists"));
        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.StartsWith("set_if_not_exists", error.Message, StringComparison.Ordinal);
        var quoted = KeyRules.Quote(key);
        var at = error.Message.IndexOf(quoted, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the message does not name the key: {error.Message}");

        // The rule is stated after the key, so a rule word inside the key itself does not count.
        Assert.Contains(rule, error.Message[(at + quoted.Length)..], StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<char> ControlCharacters()
    {
        var data = new TheoryData<char>();
        for (var c = '\u0000'; c <= '\u001f'; c++)
        {
            data.Add(c);
        }

        for (var c = '\u007f'; c <= '\u009f'; c++)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory(DisplayName = "Every control character (U+0000-U+001F, U+007F-U+009F) is refused, anywhere in a key or prefix")]
    [MemberData(nameof(ControlCharacters))]
    public void ControlCharactersAreRefused(char control)
    {
        foreach (var key in new[] { $"{control}", $"a{control}", $"{control}a", $"a/b{control}c/d" })
        {
            var error = Assert.Throws<InvalidKeyException>(() => KeyRules.ValidateKey(key, "set"));
            Assert.Contains($"U+{(int)control:X4}", error.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidKeyException>(() => KeyRules.NormalizePrefix(key, "list_dir"));
            Assert.Throws<InvalidKeyException>(() => KeyRules.NormalizePrefix(key + "/", "list_dir"));
        }
    }

    [Fact(DisplayName = "The characters next to the control ranges are allowed")]
    public void NeighboursOfControlCharactersAreAllowed()
    {
        foreach (var c in new[] { '\u0020', '\u007e', '\u00a0', '\u00a1' })
        {
            KeyRules.ValidateKey($"a{c}b", "set");
        }
    }

    [Fact(DisplayName = "A null key or prefix is an ArgumentNullException, not an invalid key")]
    public void NullIsNotAKey()
    {
        Assert.Throws<ArgumentNullException>(() => KeyRules.ValidateKey(null!, "set"));
        Assert.Throws<ArgumentNullException>(() => KeyRules.NormalizePrefix(null!, "list_dir"));
    }

    [Fact(DisplayName = "The limits are 1,024 bytes for a key and 255 bytes for a segment")]
    public void Limits()
    {
        Assert.Equal(1024, KeyRules.MaxKeyBytes);
        Assert.Equal(255, KeyRules.MaxSegmentBytes);
        KeyRules.ValidateKey(Repeat("\U0001F600", 63) + "abc", "set");   // 255 bytes, 129 chars

        // Four segments of 254 bytes (127 two-byte chars) and one short one: 1,024 and 1,025 bytes, about 520 chars.
        var parent = string.Join('/', Enumerable.Repeat(Repeat("ж", 127), 4));
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(parent + "/abcd"));
        Assert.Equal(1025, Encoding.UTF8.GetByteCount(parent + "/abcé"));
        KeyRules.ValidateKey(parent + "/abcd", "set");
        Assert.Throws<InvalidKeyException>(() => KeyRules.ValidateKey(parent + "/abcé", "set"));
    }

    // ---- prefixes ------------------------------------------------------------------------------

    public static TheoryData<string, string> ValidPrefixes() => new()
    {
        { "", "" },
        { "a", "a" },
        { "a/", "a" },
        { "a/b", "a/b" },
        { "a/b/", "a/b" },
        { "zarr.json/", "zarr.json" },
        { "ü/数据/", "ü/数据" },
        { Key1024, Key1024 },
        { Key1024 + "/", Key1024 },  // the trailing slash is not part of the key
        { "a/" + new string('s', 255) + "/", "a/" + new string('s', 255) },
    };

    [Theory(DisplayName = "Prefixes may be \"\" and may end with one '/'; they come back without it")]
    [MemberData(nameof(ValidPrefixes))]
    public void ValidPrefixesNormalize(string prefix, string normalized)
    {
        Assert.Equal(normalized, KeyRules.NormalizePrefix(prefix, "list_dir"));
    }

    public static TheoryData<string> InvalidPrefixes() => new()
    {
        "/",
        "//",
        "/a",
        "/a/",
        "a//",
        "a//b/",
        "./",
        "../",
        "a/./",
        "a/../",
        "a/../b",
        "..",
        "a\u0001/",
        "lone\ud800/",
        Key1024 + "e",
        Key1024 + "e/",
        "a/" + new string('s', 256) + "/",
    };

    [Theory(DisplayName = "Invalid prefixes (\"/\" alone, a leading '/', two trailing '/', bad segments, too long) are refused naming the prefix")]
    [MemberData(nameof(InvalidPrefixes))]
    public void InvalidPrefixesAreRefused(string prefix)
    {
        var error = Assert.Throws<InvalidKeyException>(() => KeyRules.NormalizePrefix(prefix, "delete_dir"));
        Assert.StartsWith("delete_dir", error.Message, StringComparison.Ordinal);
        Assert.Contains(KeyRules.Quote(prefix), error.Message, StringComparison.Ordinal);
    }

    [Fact(DisplayName = "An empty or trailing-slash key is refused as a key although it is a valid prefix")]
    public void PrefixFormsAreNotKeys()
    {
        Assert.Equal("", KeyRules.NormalizePrefix("", "is_empty"));
        Assert.Equal("a", KeyRules.NormalizePrefix("a/", "is_empty"));
        Assert.Throws<InvalidKeyException>(() => KeyRules.ValidateKey("", "get"));
        Assert.Throws<InvalidKeyException>(() => KeyRules.ValidateKey("a/", "get"));
    }

    // ---- path arithmetic -----------------------------------------------------------------------

    [Theory(DisplayName = "ParentOf, NameOf and Join split and rebuild a key")]
    [InlineData("a", "", "a")]
    [InlineData("zarr.json", "", "zarr.json")]
    [InlineData("a/b", "a", "b")]
    [InlineData("g/a/c/0/1", "g/a/c/0", "1")]
    [InlineData("ü/数据", "ü", "数据")]
    public void PathArithmetic(string key, string parent, string name)
    {
        Assert.Equal(parent, KeyRules.ParentOf(key));
        Assert.Equal(name, KeyRules.NameOf(key));
        Assert.Equal(key, KeyRules.Join(parent, name));
    }

    [Fact(DisplayName = "DirectoryOf is \"\" for the root and prefix + '/' otherwise")]
    public void DirectoryOf()
    {
        Assert.Equal("", KeyRules.DirectoryOf(""));
        Assert.Equal("a/", KeyRules.DirectoryOf("a"));
        Assert.Equal("a/b/", KeyRules.DirectoryOf("a/b"));
    }

    // ---- quoting for messages ------------------------------------------------------------------

    [Fact(DisplayName = "Quote wraps a key in quotes and escapes quotes, backslashes and control characters")]
    public void QuoteEscapes()
    {
        Assert.Equal("\"a/b\"", KeyRules.Quote("a/b"));
        Assert.Equal("\"\"", KeyRules.Quote(""));
        Assert.Equal("\"say \\\"hi\\\"\"", KeyRules.Quote("say \"hi\""));
        Assert.Equal("\"back\\\\slash\"", KeyRules.Quote("back\\slash"));
        Assert.Equal("\"a\\u0000b\\u000ac\\u0085\"", KeyRules.Quote("a\u0000b\nc\u0085"));
        Assert.Equal("\"ü\"", KeyRules.Quote("ü"));
    }

    [Fact(DisplayName = "Quote cuts a long key at 120 characters and says how long it was")]
    public void QuoteCutsLongKeys()
    {
        var key = new string('x', 120);
        Assert.Equal("\"" + key + "\"", KeyRules.Quote(key));

        var longKey = new string('y', 1000);
        var quoted = KeyRules.Quote(longKey);
        Assert.Equal("\"" + new string('y', 120) + "\"... (1000 characters)", quoted);
    }
}
