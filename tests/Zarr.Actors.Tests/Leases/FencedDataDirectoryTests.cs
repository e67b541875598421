using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Leases;

/// <summary>
/// The fence seen through the store: whatever the clusters believe, one process owns a prefix of one data
/// directory; the store's own directory there is no key.
/// </summary>
public sealed class FencedDataDirectoryTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(4);
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("zarr-fence-");

    private string PathOf(string key) => Path.Combine(_data.FullName, key);

    private Task<StoreNode> StartAsync(string systemName = "zarr-actors", string? extraConfig = null) =>
        StoreNode.StartAsync(new StoreNodeOptions
        {
            DataDirectory = _data.FullName,
            SystemName = systemName,
            RequestTimeout = ShortTimeout,
            ExtraConfig = extraConfig,
        });

    private static ByteBuffer Text(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private static string? TextOf(ByteBuffer? value) => value is null ? null : Encoding.UTF8.GetString(value.Span);

    [Fact(DisplayName = "Two one-node clusters on one data directory: the second is refused the first's prefixes and writes nothing, until the first is gone; then it serves the first's data")]
    public async Task SecondClusterIsFenced()
    {
        var keys = Enumerable.Range(0, 6).Select(i => $"g/a{i}/c/0").ToArray();
        var first = await StartAsync("zarr-first");
        try
        {
            foreach (var key in keys)
            {
                await first.Store.SetAsync(key, Text("first " + key));
            }

            await using var second = await StartAsync("zarr-second");
            await Task.WhenAll(
                Assert.ThrowsAsync<StoreUnavailableException>(() => second.Store.GetAsync(keys[0])),
                Assert.ThrowsAsync<StoreUnavailableException>(() => second.Store.SetAsync(keys[1], Text("second"))),
                Assert.ThrowsAsync<StoreUnavailableException>(() => second.Store.SetAsync("g/a2/c/fenced", Text("second"))),
                Assert.ThrowsAsync<StoreUnavailableException>(() => second.Store.DeleteAsync(keys[3])),
                Assert.ThrowsAsync<StoreUnavailableException>(async () => await second.Store.ListDirAsync("g").ToListAsync()));

            // Nothing the second was asked to do reached the directory, and the first still serves.
            Assert.False(File.Exists(PathOf("g/a2/c/fenced")));
            foreach (var key in keys)
            {
                Assert.Equal("first " + key, await File.ReadAllTextAsync(PathOf(key)));
                Assert.Equal("first " + key, TextOf(await first.Store.GetAsync(key)));
            }

            await first.DisposeAsync();

            // The first's leases are free now: the second's shards take them on their next try.
            // What the second was refused earlier was dropped, not kept for later: it never overwrites the first's data.
            await AwaitAssertAsync(async () =>
            {
                foreach (var key in keys)
                {
                    Assert.Equal("first " + key, TextOf(await second.Store.GetAsync(key)));
                }
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            Assert.Null(await second.Store.GetAsync("g/a2/c/fenced"));
            Assert.Equal(["g"], await second.Store.ListDirAsync("").ToListAsync());
            Assert.DoesNotContain(await second.Store.ListAsync().ToListAsync(), key => key.StartsWith(".zarr-actors", StringComparison.Ordinal));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact(DisplayName = "The reserved directory is never listed or served, no key can be written into it, and loading and clearing the root keep it")]
    public async Task ReservedDirectoryIsNoKey()
    {
        var record = PathOf(".zarr-actors/number-of-shards");
        await using (var node = await StartAsync())
        {
            var store = node.Store;
            await store.SetAsync("g/k", Text("v"));
            Assert.True(File.Exists(record));

            foreach (var key in new[] { ".zarr-actors/leases/x.lock", ".zarr-actors/number-of-shards", ".zarr-actors", ".zarr-actors/new/deep/k" })
            {
                var error = await Assert.ThrowsAsync<InvalidKeyException>(() => store.SetAsync(key, Text("planted")));
                Assert.Contains(key, error.Message);
                Assert.Contains("\".zarr-actors\"", error.Message);
                await Assert.ThrowsAsync<InvalidKeyException>(() => store.SetIfNotExistsAsync(key, Text("planted")));
            }

            Assert.Null(await store.GetAsync(".zarr-actors/number-of-shards"));
            Assert.False(await store.ExistsAsync(".zarr-actors/number-of-shards"));
            Assert.Equal(["g"], await store.ListDirAsync("").ToListAsync());
            Assert.Empty(await store.ListDirAsync(".zarr-actors").ToListAsync());
            Assert.Equal(["g/k"], await store.ListAsync().ToListAsync());

            await store.DeleteAsync(".zarr-actors/number-of-shards");
            await store.DeleteDirAsync(".zarr-actors");
            await store.ClearAsync();
            Assert.Empty(await store.ListAsync().ToListAsync());
            Assert.Equal("100", (await File.ReadAllTextAsync(record)).Trim());
            Assert.False(Directory.Exists(PathOf(".zarr-actors/new")));
        }

        // A restart loads the root again: the reserved directory is skipped, not listed and not removed.
        await using var again = await StartAsync();
        Assert.Empty(await again.Store.ListDirAsync("").ToListAsync());
        Assert.Equal("100", (await File.ReadAllTextAsync(record)).Trim());
        Assert.NotEmpty(Directory.GetFiles(PathOf(".zarr-actors/leases"), "zarr-prefix-*.lock"));
    }

    [Fact(DisplayName = "A node whose number of shards differs from the data directory's record does not start, and the error names both numbers")]
    public async Task RefusesAnotherNumberOfShards()
    {
        await using (var node = await StartAsync())
        {
            await node.Store.SetAsync("k", Text("v"));
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(extraConfig: "zarr-actors.number-of-shards = 64"));
        Assert.Contains("64", error.Message);
        Assert.Contains("100", error.Message);

        await using var same = await StartAsync();
        Assert.Equal("v", TextOf(await same.Store.GetAsync("k")));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
