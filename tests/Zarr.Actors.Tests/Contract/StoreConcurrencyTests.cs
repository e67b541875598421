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

    [Fact(DisplayName = "SetIfNotExists from 16 writers on each of many keys across many prefixes: every key has exactly one winner")]
    public async Task SetIfNotExistsOneWinnerPerKeyAcrossPrefixes()
    {
        const int writers = 16;
        var keys = Enumerable.Range(0, 2 * Rounds).Select(k => $"many/p{k % 20}/d{k % 3}/k{k}").ToArray();

        // Each writer walks the keys from a different starting point, so the races spread over all prefixes.
        var won = await TogetherAsync(writers, async caller =>
        {
            var wins = new bool[keys.Length];
            for (var step = 0; step < keys.Length; step++)
            {
                var k = (step + caller * 13) % keys.Length;
                wins[k] = await Store.SetIfNotExistsAsync(keys[k], Value($"writer {caller} key {k}"));
            }

            return wins;
        });

        var values = await Store.GetPartialValuesAsync(Prototype, keys.Select(key => (key, (ByteRequest?)null)));
        for (var k = 0; k < keys.Length; k++)
        {
            var winners = Enumerable.Range(0, writers).Where(caller => won[caller][k]).ToList();
            Assert.True(winners.Count == 1, $"{keys[k]} had {winners.Count} winners");
            Assert.Equal($"writer {winners[0]} key {k}", Encoding.UTF8.GetString(values[k]!.Span));
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await Store.ListAsync().ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(20, (await Store.ListDirAsync("many").ToListAsync()).Count);
    }

    [Fact(DisplayName = "DeleteDir racing writers on neighbouring prefixes removes only keys under its own prefix")]
    public async Task DeleteDirSparesOtherPrefixes()
    {
        for (var round = 0; round < Math.Max(3, Rounds / 10); round++)
        {
            var root = $"dd{round}";
            var victim = $"{root}/foo";
            for (var i = 0; i < 24; i++)
            {
                await Store.SetAsync($"{victim}/c/{i % 4}/{i}", Value("doomed"));
            }

            // Neighbours share the victim's parent or a string prefix with it, and some of their
            // directories come into being while the victim's are being removed.
            string Neighbour(int caller, int i) => (caller % 5) switch
            {
                0 => $"{root}/foo-bar/{caller}-{i}",
                1 => $"{root}/foobar{caller}-{i}",
                2 => $"{root}/fo/{caller}/{i}",
                3 => $"{root}/other/foo/{caller}-{i}",
                _ => $"{root}/new{caller}/c/{i}",
            };

            var written = await TogetherAsync(20, async caller =>
            {
                var keys = new List<string>();
                if (caller >= 16)
                {
                    await Store.DeleteDirAsync(caller % 2 == 0 ? victim : victim + "/");
                    return keys;
                }

                for (var i = 0; i < 8; i++)
                {
                    var key = Neighbour(caller, i);
                    await Store.SetAsync(key, Value(key));
                    keys.Add(key);
                }

                return keys;
            });

            var expected = written.SelectMany(keys => keys).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, (await Store.ListPrefixAsync(root + "/").ToListAsync()).Order(StringComparer.Ordinal));
            Assert.True(await Store.IsEmptyAsync(victim));
            Assert.Empty(await Store.ListDirAsync(victim).ToListAsync());
            Assert.Equal(
                expected.Select(key => key.Split('/')[1]).Distinct().Order(StringComparer.Ordinal),
                (await Store.ListDirAsync(root).ToListAsync()).Order(StringComparer.Ordinal));
            var values = await Store.GetPartialValuesAsync(Prototype, expected.Select(key => (key, (ByteRequest?)null)));
            Assert.Equal(expected, values.Select(value => value is null ? "(missing)" : Encoding.UTF8.GetString(value.Span)));
        }
    }

    [Fact(DisplayName = "DeleteDir racing writers inside its own prefix leaves listings that agree with the keys")]
    public async Task DeleteDirRacingWritersInsideStaysConsistent()
    {
        for (var round = 0; round < Math.Max(3, Rounds / 10); round++)
        {
            var victim = $"inside{round}/v";
            await TogetherAsync(16, async caller =>
            {
                for (var i = 0; i < 6; i++)
                {
                    if (caller % 4 == 0)
                    {
                        await Store.DeleteDirAsync(i % 2 == 0 ? victim : $"{victim}/d{caller % 3}");
                    }
                    else
                    {
                        await Store.SetAsync($"{victim}/d{(caller + i) % 3}/e{i % 2}/k{caller}", Value("v"));
                    }
                }

                return true;
            });

            // Whatever survived, every listing must describe exactly the keys that exist.
            var keys = await Store.ListPrefixAsync(victim + "/").ToListAsync();
            foreach (var key in keys)
            {
                Assert.True(await Store.ExistsAsync(key), $"{key} is listed but does not exist");
            }

            var directories = new HashSet<string>(StringComparer.Ordinal) { victim };
            foreach (var key in keys)
            {
                for (var parent = KeyRules.ParentOf(key); parent.Length > victim.Length; parent = KeyRules.ParentOf(parent))
                {
                    directories.Add(parent);
                }
            }

            foreach (var directory in directories)
            {
                var children = keys.Where(key => key.StartsWith(directory + "/", StringComparison.Ordinal))
                    .Select(key => key[(directory.Length + 1)..].Split('/')[0])
                    .Distinct()
                    .Order(StringComparer.Ordinal);
                Assert.Equal(children, (await Store.ListDirAsync(directory).ToListAsync()).Order(StringComparer.Ordinal));
                Assert.Equal(!children.Any(), await Store.IsEmptyAsync(directory));
            }

            Assert.Equal(keys.Count == 0 ? [] : ["v"], await Store.ListDirAsync($"inside{round}").ToListAsync());

            // And the prefix is fully usable afterwards: a final DeleteDir empties it, a write refills it.
            await Store.DeleteDirAsync(victim);
            Assert.True(await Store.IsEmptyAsync(victim));
            await Store.SetAsync($"{victim}/d0", Value("key where a directory was"));
            Assert.Equal(["d0"], await Store.ListDirAsync(victim).ToListAsync());
        }
    }
}
