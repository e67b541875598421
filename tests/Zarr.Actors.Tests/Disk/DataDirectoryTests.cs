using System.Text;
using Zarr.Actors.Backends;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Disk;

/// <summary>
/// The data directory is zarr's LocalStore layout: what other tools wrote is served as it is, what
/// the node writes is plain files, and nothing in the directory can lead a key outside it.
/// </summary>
public sealed class DataDirectoryTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("zarr-data-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("zarr-outside-");

    private string PathOf(string key) => Path.Combine(_root.FullName, key);

    private void Plant(string key, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(key))!);
        File.WriteAllText(PathOf(key), text);
    }

    private async Task<StoreNode> StartAsync() => await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = _root.FullName });

    [Fact(DisplayName = "A directory written by plain file writes in the zarr layout is served as it is")]
    public async Task ServesAnExistingLayout()
    {
        Plant("zarr.json", """{"zarr_format":3,"node_type":"group"}""");
        Plant("temp/zarr.json", """{"zarr_format":3,"node_type":"array"}""");
        Plant("temp/c/0/0", "0123456789");
        Plant("temp/c/0/1", "abc");
        Plant("temp/c/1/0", "xy");
        Plant("temperature/c/0", "z");
        Directory.CreateDirectory(PathOf("empty/nested"));

        await using var node = await StartAsync();
        var store = node.Store;
        Assert.Equal("0123456789", Encoding.UTF8.GetString((await store.GetAsync("temp/c/0/0", byteRange: new OffsetByteRequest(0)))!.Span));
        Assert.Equal(["temp", "temperature", "zarr.json"], (await store.ListDirAsync("").ToListAsync()).Order());
        Assert.Equal(["c", "zarr.json"], (await store.ListDirAsync("temp/").ToListAsync()).Order());
        Assert.Equal(["0", "1"], (await store.ListDirAsync("temp/c").ToListAsync()).Order());
        Assert.Equal(15 + """{"zarr_format":3,"node_type":"array"}""".Length, await store.GetSizePrefixAsync("temp"));
        Assert.Equal(["temp/c/0/0", "temp/c/0/1", "temp/c/1/0", "temp/zarr.json"],
            (await store.ListPrefixAsync("temp/").ToListAsync()).Order());
        Assert.True(await store.IsEmptyAsync("empty"));
        Assert.Equal(6, (await store.ListAsync().ToListAsync()).Count);
    }

    [Fact(DisplayName = "What the node writes is one plain file per key, readable by any tool")]
    public async Task WritesPlainFiles()
    {
        await using (var node = await StartAsync())
        {
            await node.Store.SetAsync("g/arr/c/0/0", ByteBuffer.FromBytes("chunk"u8));
            await node.Store.SetAsync("g/arr/zarr.json", ByteBuffer.FromBytes("{}"u8));
            await node.Store.SetAsync("g/gone/x", ByteBuffer.FromBytes("x"u8));
            await node.Store.DeleteAsync("g/gone/x");
        }

        Assert.Equal("chunk", File.ReadAllText(PathOf("g/arr/c/0/0")));
        Assert.Equal("{}", File.ReadAllText(PathOf("g/arr/zarr.json")));
        Assert.False(Directory.Exists(PathOf("g/gone")), "an emptied prefix leaves no directory behind");
        Assert.Equal(["c", "zarr.json"], Directory.EnumerateFileSystemEntries(PathOf("g/arr")).Select(Path.GetFileName).Order());

        await using var restarted = await StartAsync();
        Assert.Equal("chunk"u8.ToArray(), (await restarted.Store.GetAsync("g/arr/c/0/0"))!.ToArray());
    }

    [Fact(DisplayName = "Temporary files and names that are not keys never show and never break listing")]
    public async Task StrayEntriesAreIgnored()
    {
        Plant("a/real", "1");
        Plant($"a/{DiskBackend.TemporaryPrefix}0123", "half a valu");
        Plant("a/bad\u0001name", "control character");
        Directory.CreateDirectory(PathOf("a/only-temp"));
        File.WriteAllText(Path.Combine(PathOf("a/only-temp"), DiskBackend.TemporaryPrefix + "x"), "t");

        await using var node = await StartAsync();
        Assert.Equal(["real"], await node.Store.ListDirAsync("a").ToListAsync());
        Assert.Equal(["a/real"], await node.Store.ListAsync().ToListAsync());
        Assert.Equal(1, await node.Store.GetSizePrefixAsync("a"));
        Assert.False(File.Exists(PathOf($"a/{DiskBackend.TemporaryPrefix}0123")), "a crash's temporary file is cleaned up");

        var error = await Assert.ThrowsAsync<InvalidKeyException>(() =>
            node.Store.SetAsync($"a/{DiskBackend.TemporaryPrefix}mine", ByteBuffer.FromBytes([1])));
        Assert.Contains("reserved", error.Message);
    }

    [Fact(DisplayName = "Symbolic links planted in the data directory never lead a key outside it")]
    public async Task SymlinksAreNotFollowed()
    {
        File.WriteAllText(Path.Combine(_outside.FullName, "secret"), "outside");
        Directory.CreateSymbolicLink(PathOf("linked-dir"), _outside.FullName);
        File.CreateSymbolicLink(PathOf("linked-file"), Path.Combine(_outside.FullName, "secret"));
        Plant("real/x", "1");

        await using var node = await StartAsync();
        var store = node.Store;
        Assert.Null(await store.GetAsync("linked-dir/secret"));
        Assert.Null(await store.GetAsync("linked-file"));
        Assert.False(await store.ExistsAsync("linked-dir/secret"));
        Assert.Equal(["real"], await store.ListDirAsync("").ToListAsync());
        Assert.Equal(["real/x"], await store.ListAsync().ToListAsync());

        var error = await Assert.ThrowsAsync<IOException>(() => store.SetAsync("linked-dir/planted", ByteBuffer.FromBytes([1])));
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(["secret"], Directory.EnumerateFileSystemEntries(_outside.FullName).Select(Path.GetFileName));
    }

    [Fact(DisplayName = "Keys with dot segments are refused before they reach the disk")]
    public async Task DotSegmentsNeverReachTheDisk()
    {
        await using var node = await StartAsync();
        foreach (var key in new[] { "../escape", "a/../../escape", "a/./b", ".." })
        {
            await Assert.ThrowsAsync<InvalidKeyException>(() => node.Store.SetAsync(key, ByteBuffer.FromBytes([1])));
        }

        // Only the store's own directory (its leases) is there.
        Assert.Equal([DiskBackend.ReservedName], Directory.EnumerateFileSystemEntries(_root.FullName).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Parent!.FullName, "escape"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
