using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Core;

/// <summary>
/// <see cref="MemoryStore"/> as an <see cref="IConditionalStore"/>: what the HTTP gateway's
/// <c>If-None-Match: *</c> and <c>If-Match</c> rely on.
/// </summary>
public sealed class MemoryStoreConditionalTests
{
    private readonly MemoryStore _store = new();

    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private async Task<string?> ReadAsync(string key) =>
        await _store.GetAsync(key) is { } value ? Encoding.UTF8.GetString(value.Span) : null;

    [Fact(DisplayName = "MemoryStore is a conditional store")]
    public void IsConditional() => Assert.IsAssignableFrom<IConditionalStore>(new MemoryStore());

    // ---- PutAsync ------------------------------------------------------------------------------

    [Fact(DisplayName = "Put without a condition creates, then replaces")]
    public async Task PutUnconditional()
    {
        Assert.Equal(WriteOutcome.Created, (await _store.PutAsync("a/k", Bytes("one"), WriteCondition.None)).Outcome);
        Assert.Equal(WriteOutcome.Replaced, (await _store.PutAsync("a/k", Bytes("two"), WriteCondition.None)).Outcome);
        Assert.Equal("two", await ReadAsync("a/k"));
    }

    [Fact(DisplayName = "Put IfAbsent creates a missing key, and on an existing key (even an empty value) fails and changes nothing")]
    public async Task PutIfAbsent()
    {
        Assert.Equal(WriteOutcome.Created, (await _store.PutAsync("a/k", Bytes("first"), WriteCondition.IfAbsent)).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("a/k", Bytes("second"), WriteCondition.IfAbsent)).Outcome);
        Assert.Equal("first", await ReadAsync("a/k"));

        await _store.SetAsync("empty", ByteBuffer.Empty);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("empty", Bytes("x"), WriteCondition.IfAbsent)).Outcome);
        Assert.Equal("", await ReadAsync("empty"));
    }

    [Fact(DisplayName = "Put IfMatch with the current tag replaces; the old tag is then stale and fails without a change")]
    public async Task PutIfMatch()
    {
        var tag1 = (await _store.PutAsync("a/k", Bytes("v1"), WriteCondition.None)).Tag!;

        var second = await _store.PutAsync("a/k", Bytes("v2"), WriteCondition.IfMatch([tag1]));
        Assert.Equal(WriteOutcome.Replaced, second.Outcome);
        Assert.Equal("v2", await ReadAsync("a/k"));

        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("a/k", Bytes("v3"), WriteCondition.IfMatch([tag1]))).Outcome);
        Assert.Equal("v2", await ReadAsync("a/k"));

        var tag2 = second.Tag!;
        Assert.Equal(tag2, (await _store.GetVersionAsync("a/k"))!.Tag);
        Assert.Equal(WriteOutcome.Replaced, (await _store.PutAsync("a/k", Bytes("v3"), WriteCondition.IfMatch([tag1, tag2]))).Outcome);
        Assert.Equal("v3", await ReadAsync("a/k"));
    }

    [Fact(DisplayName = "Put IfMatch on a missing key fails, with a tag or with *, and creates nothing")]
    public async Task PutIfMatchMissing()
    {
        var tag = (await _store.PutAsync("elsewhere", Bytes("v"), WriteCondition.None)).Tag!;
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("a/k", Bytes("v"), WriteCondition.IfMatch([tag]))).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("a/k", Bytes("v"), WriteCondition.IfMatch(["*"]))).Outcome);
        Assert.False(await _store.ExistsAsync("a/k"));
        Assert.Equal(["elsewhere"], await _store.ListAsync().ToListAsync());
        Assert.True(await _store.IsEmptyAsync("a"));
    }

    [Fact(DisplayName = "Put IfMatch(*) replaces any existing value")]
    public async Task PutIfMatchAny()
    {
        await _store.SetAsync("k", Bytes("whatever"));
        Assert.Equal(WriteOutcome.Replaced, (await _store.PutAsync("k", Bytes("new"), WriteCondition.IfMatch(["*"]))).Outcome);
        Assert.Equal("new", await ReadAsync("k"));
    }

    [Fact(DisplayName = "Rewriting the same bytes makes a new version, so a compare-and-set with the old tag fails")]
    public async Task SameBytesNewTag()
    {
        var tag = (await _store.PutAsync("k", Bytes("same"), WriteCondition.None)).Tag!;
        await _store.SetAsync("k", Bytes("same"));
        Assert.NotEqual(tag, (await _store.GetVersionAsync("k"))!.Tag);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.PutAsync("k", Bytes("next"), WriteCondition.IfMatch([tag]))).Outcome);
        Assert.Equal("same", await ReadAsync("k"));
    }

    [Fact(DisplayName = "A conditional Put keeps the key/directory rule: a met condition on a directory's name is still refused")]
    public async Task PutKeepsKeyDirectoryRule()
    {
        await _store.SetAsync("a/b", Bytes("v"));
        await _store.SetAsync("c", Bytes("w"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => _store.PutAsync("a", Bytes("x"), WriteCondition.IfAbsent));
        await Assert.ThrowsAsync<InvalidKeyException>(() => _store.PutAsync("a", Bytes("x"), WriteCondition.None));
        await Assert.ThrowsAsync<InvalidKeyException>(() => _store.PutAsync("c/d", Bytes("x"), WriteCondition.IfAbsent));
        Assert.Equal(["a/b", "c"], (await _store.ListAsync().ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal("w", await ReadAsync("c"));
    }

    // ---- RemoveAsync ---------------------------------------------------------------------------

    [Fact(DisplayName = "Remove without a condition deletes, and reports Absent for a missing key")]
    public async Task RemoveUnconditional()
    {
        await _store.SetAsync("a/k", Bytes("v"));
        Assert.Equal(WriteOutcome.Deleted, (await _store.RemoveAsync("a/k", WriteCondition.None)).Outcome);
        Assert.False(await _store.ExistsAsync("a/k"));
        Assert.True(await _store.IsEmptyAsync("a"));
        Assert.Equal(WriteOutcome.Absent, (await _store.RemoveAsync("a/k", WriteCondition.None)).Outcome);
    }

    [Fact(DisplayName = "Remove IfMatch deletes with the current tag; a stale tag fails and the value stays")]
    public async Task RemoveIfMatch()
    {
        var stale = (await _store.PutAsync("a/k", Bytes("v1"), WriteCondition.None)).Tag!;
        var current = (await _store.PutAsync("a/k", Bytes("v2"), WriteCondition.None)).Tag!;

        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.RemoveAsync("a/k", WriteCondition.IfMatch([stale]))).Outcome);
        Assert.Equal("v2", await ReadAsync("a/k"));

        Assert.Equal(WriteOutcome.Deleted, (await _store.RemoveAsync("a/k", WriteCondition.IfMatch([current]))).Outcome);
        Assert.Null(await ReadAsync("a/k"));
    }

    [Fact(DisplayName = "Remove IfMatch on a missing key fails; Remove IfAbsent of a missing key finds nothing, of a present key fails")]
    public async Task RemoveOtherConditions()
    {
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.RemoveAsync("k", WriteCondition.IfMatch(["*"]))).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.RemoveAsync("k", WriteCondition.IfMatch(["\"m0000000000000000-1\""]))).Outcome);
        Assert.Equal(WriteOutcome.Absent, (await _store.RemoveAsync("k", WriteCondition.IfAbsent)).Outcome);

        await _store.SetAsync("k", Bytes("v"));
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.RemoveAsync("k", WriteCondition.IfAbsent)).Outcome);
        Assert.Equal("v", await ReadAsync("k"));
        Assert.Equal(WriteOutcome.Deleted, (await _store.RemoveAsync("k", WriteCondition.IfMatch(["*"]))).Outcome);
    }

    [Fact(DisplayName = "Remove of a directory's name deletes nothing")]
    public async Task RemoveDirectoryName()
    {
        await _store.SetAsync("a/b", Bytes("v"));
        Assert.Equal(WriteOutcome.Absent, (await _store.RemoveAsync("a", WriteCondition.None)).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await _store.RemoveAsync("a", WriteCondition.IfMatch(["*"]))).Outcome);
        Assert.Equal("v", await ReadAsync("a/b"));
    }

    // ---- refusals ------------------------------------------------------------------------------

    [Fact(DisplayName = "Conditional writes on a read-only view throw ReadOnlyStoreException, before the key or the condition")]
    public async Task ReadOnlyRefuses()
    {
        await _store.SetAsync("k", Bytes("v"));
        var view = (IConditionalStore)_store.WithReadOnly(true);
        foreach (var call in new Func<Task>[]
                 {
                     () => view.PutAsync("k", Bytes("x"), WriteCondition.None),
                     () => view.PutAsync("k", Bytes("x"), WriteCondition.IfAbsent),
                     () => view.PutAsync("a//b", Bytes("x"), WriteCondition.None),
                     () => view.RemoveAsync("k", WriteCondition.IfMatch(["*"])),
                     () => view.RemoveAsync("missing", WriteCondition.None),
                 })
        {
            var error = await Assert.ThrowsAsync<ReadOnlyStoreException>(call);
            Assert.StartsWith("store was opened in read-only mode and does not support writing", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("v", await ReadAsync("k"));
    }

    [Fact(DisplayName = "Conditional writes refuse invalid keys and null arguments, and write nothing")]
    public async Task InvalidArguments()
    {
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => _store.PutAsync("a//b", Bytes("x"), WriteCondition.IfAbsent));
        Assert.Contains("\"a//b\"", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidKeyException>(() => _store.RemoveAsync("/a", WriteCondition.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _store.PutAsync("k", null!, WriteCondition.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _store.PutAsync("k", Bytes("x"), null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _store.RemoveAsync("k", null!));
        Assert.Empty(await _store.ListAsync().ToListAsync());
    }

    [Fact(DisplayName = "A conditional write opens a closed store")]
    public async Task ConditionalWritesOpen()
    {
        _store.Close();
        Assert.Equal(WriteOutcome.Created, (await _store.PutAsync("k", Bytes("v"), WriteCondition.IfAbsent)).Outcome);
        Assert.True(_store.IsOpen);
    }

    // ---- atomicity -----------------------------------------------------------------------------

    [Fact(DisplayName = "Compare-and-set increments from 16 callers lose no update: the counter ends at the number of increments")]
    public async Task CompareAndSetLosesNoUpdate()
    {
        const int callers = 16;
        const int increments = 50;
        await _store.SetAsync("counter", Bytes("0"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var done = 0; done < increments;)
            {
                var current = (await _store.GetVersionedAsync("counter"))!;
                var next = Bytes((int.Parse(Encoding.UTF8.GetString(current.Value.Span)) + 1).ToString());
                var outcome = (await _store.PutAsync("counter", next, WriteCondition.IfMatch([current.Tag]))).Outcome;
                if (outcome == WriteOutcome.Replaced)
                {
                    done++;
                }
                else
                {
                    // Someone else's increment came first: read again and retry.
                    Assert.Equal(WriteOutcome.PreconditionFailed, outcome);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal((callers * increments).ToString(), await ReadAsync("counter"));
    }

    [Fact(DisplayName = "Put IfAbsent from 32 callers on each of 50 keys creates each key exactly once, with the winner's value")]
    public async Task PutIfAbsentHasOneWinnerPerKey()
    {
        const int callers = 32;
        const int keys = 50;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            var outcomes = new WriteOutcome[keys];
            for (var k = 0; k < keys; k++)
            {
                outcomes[k] = (await _store.PutAsync($"p{k % 5}/k{k}", Bytes($"caller {caller}"), WriteCondition.IfAbsent)).Outcome;
            }

            return outcomes;
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(workers);

        for (var k = 0; k < keys; k++)
        {
            var winners = Enumerable.Range(0, callers).Where(c => results[c][k] == WriteOutcome.Created).ToList();
            var winner = Assert.Single(winners);
            Assert.All(Enumerable.Range(0, callers).Where(c => c != winner), c => Assert.Equal(WriteOutcome.PreconditionFailed, results[c][k]));
            Assert.Equal($"caller {winner}", await ReadAsync($"p{k % 5}/k{k}"));
        }
    }
}
