using System.Collections.Concurrent;
using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// The contract's concurrency promises, with real concurrency: many callers on the thread pool,
/// released together, over many rounds.
/// </summary>
public abstract class StoreConcurrencyTests : StoreTestBase
{
    /// <summary>Rounds of the set-if-absent race; stores that are slow per call may run fewer.</summary>
    protected virtual int Rounds => 100;

    /// <summary>Runs <paramref name="count"/> callers on the thread pool, all released at once.</summary>
    private static async Task<T[]> TogetherAsync<T>(int count, Func<int, Task<T>> caller)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await caller(i);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(callers);
    }

    [Fact(DisplayName = "SetIfNotExists from 64 writers stores exactly one value, round after round")]
    public async Task SetIfNotExistsHasOneWinner()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var key = $"race/{round}/zarr.json";
            var won = await TogetherAsync(64, caller => Store.SetIfNotExistsAsync(key, Value($"writer {caller}")));
            var winner = Assert.Single(Enumerable.Range(0, 64), i => won[i]);
            var stored = await Store.GetAsync(key, Prototype);
            Assert.Equal($"writer {winner}", Encoding.UTF8.GetString(stored!.Span));
        }
    }

    [Fact(DisplayName = "Concurrent Set and Get on one key never return a value nobody wrote")]
    public async Task ReadersSeeOnlyWrittenValues()
    {
        const string key = "shared/c/0";
        var written = Enumerable.Range(0, 16).SelectMany(w => Enumerable.Range(0, 25).Select(i => $"writer {w} value {i} " + new string((char)('a' + w), 100 + i))).ToHashSet();
        var observed = new ConcurrentBag<string?>();
        await TogetherAsync(32, async caller =>
        {
            for (var i = 0; i < 25; i++)
            {
                if (caller < 16)
                {
                    await Store.SetAsync(key, Value($"writer {caller} value {i} " + new string((char)('a' + caller), 100 + i)));
                }
                else
                {
                    var value = await Store.GetAsync(key, Prototype);
                    observed.Add(value is null ? null : Encoding.UTF8.GetString(value.Span));
                }
            }

            return true;
        });

        Assert.All(observed, value => Assert.True(value is null || written.Contains(value), $"read a value nobody wrote: {value}"));
        Assert.Contains(Encoding.UTF8.GetString((await Store.GetAsync(key, Prototype))!.Span), written);
    }

    [Fact(DisplayName = "1,000 concurrent writers on distinct keys of one prefix: List returns exactly those keys")]
    public async Task ThousandWritersOnePrefix()
    {
        var keys = await TogetherAsync(1000, async i =>
        {
            var key = $"one/c/{i}";
            await Store.SetAsync(key, Value(key));
            return key;
        });

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await Store.ListAsync().ToListAsync()).Order(StringComparer.Ordinal));
        var values = await Store.GetPartialValuesAsync(Prototype, keys.Select(k => (k, (ByteRequest?)null)));
        Assert.Equal(keys, values.Select(v => Encoding.UTF8.GetString(v!.Span)));
    }

    [Fact(DisplayName = "1,000 concurrent writers across many prefixes: List and ListDir show exactly what was written")]
    public async Task ThousandWritersManyPrefixes()
    {
        var keys = await TogetherAsync(1000, async i =>
        {
            var key = $"g/a{i % 37}/c/{i % 5}/{i}";
            await Store.SetAsync(key, Value(key));
            return key;
        });

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await Store.ListAsync().ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(37, (await Store.ListDirAsync("g").ToListAsync()).Count);
        Assert.Equal(keys.Sum(k => (long)Encoding.UTF8.GetByteCount(k)), await Store.GetSizePrefixAsync("g"));
        foreach (var key in keys.Where((_, i) => i % 50 == 0))
        {
            Assert.Equal(key, Encoding.UTF8.GetString((await Store.GetAsync(key, Prototype))!.Span));
        }
    }

    [Fact(DisplayName = "Racing to make one name a key and a directory leaves it exactly one of the two")]
    public async Task KeyAndDirectoryRace()
    {
        for (var round = 0; round < Rounds / 4; round++)
        {
            var name = $"contested/n{round}";
            var outcomes = await TogetherAsync(16, async caller =>
            {
                try
                {
                    await Store.SetAsync(caller % 2 == 0 ? name : $"{name}/child{caller}", Value("v"));
                    return caller % 2 == 0 ? "key" : "directory";
                }
                catch (InvalidKeyException)
                {
                    return "refused";
                }
            });

            var isKey = await Store.ExistsAsync(name);
            var isDirectory = !await Store.IsEmptyAsync(name);
            Assert.True(isKey ^ isDirectory, $"{name} is key={isKey} directory={isDirectory}");
            Assert.DoesNotContain(isKey ? "directory" : "key", outcomes);
        }
    }

    [Fact(DisplayName = "Concurrent writes and deletes under one prefix keep listings and the key/directory rule consistent")]
    public async Task ChurnKeepsListingsConsistent()
    {
        await TogetherAsync(24, async caller =>
        {
            for (var i = 0; i < 20; i++)
            {
                var key = $"churn/d{(caller + i) % 6}/k{caller}";
                await Store.SetAsync(key, Value(key));
                if (i % 3 == 0)
                {
                    await Store.DeleteAsync(key);
                }

                _ = await Store.ListDirAsync("churn").ToListAsync();
            }

            return true;
        });

        var keys = await Store.ListAsync().ToListAsync();
        var directories = await Store.ListDirAsync("churn").ToListAsync();
        var expected = keys.Select(k => k.Split('/')[1]).Distinct().Order().ToList();
        Assert.Equal(expected, directories.Order().ToList());
        foreach (var directory in directories)
        {
            Assert.False(await Store.ExistsAsync($"churn/{directory}"));
            Assert.NotEmpty(await Store.ListDirAsync($"churn/{directory}").ToListAsync());
        }
    }
}
