using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Contract;

/// <summary>
/// Versions, for every <see cref="IConditionalStore"/>: a tag is fixed when a value is written, changes on
/// every write (the same bytes again included), names one written version only, and comes with the bytes
/// of a versioned read, or alone, without a read.
/// </summary>
public abstract class VersionedStoreTests : StoreTestBase
{
    private IConditionalStore Versioned => (IConditionalStore)Store;

    private async Task<string> TagOfAsync(string key) => (await Versioned.GetVersionAsync(key))!.Tag;

    private static string Text(ByteBuffer value) => Encoding.UTF8.GetString(value.Span);

    [Fact(DisplayName = "Every write makes a new tag, the same bytes written again included; no write, no change")]
    public async Task EveryWriteMakesANewTag()
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            var result = await Versioned.PutAsync("a/k", Value("same bytes"), WriteCondition.None);
            Assert.Equal(i == 0 ? WriteOutcome.Created : WriteOutcome.Replaced, result.Outcome);
            Assert.True(tags.Add(result.Tag!), $"write {i} repeated a tag");
            Assert.Equal(result.Tag, await TagOfAsync("a/k"));
            Assert.Equal(result.Tag, await TagOfAsync("a/k"));
        }

        // The plain API's writes make versions too.
        await Store.SetAsync("a/k", Value("same bytes"));
        Assert.True(tags.Add(await TagOfAsync("a/k")), "SetAsync kept the tag");
        await Store.DeleteAsync("a/k");
        Assert.True(await Store.SetIfNotExistsAsync("a/k", Value("same bytes")));
        Assert.True(tags.Add(await TagOfAsync("a/k")), "a key deleted and written again got an old tag");
    }

    [Fact(DisplayName = "A tag never matches another value: write A (tag T), write B, If-Match T fails, write A again: its tag is not T")]
    public async Task TagNeverMatchesAnotherValue()
    {
        var t = (await Versioned.PutAsync("k", Value("A"), WriteCondition.None)).Tag!;
        var b = (await Versioned.PutAsync("k", Value("B"), WriteCondition.None)).Tag!;
        Assert.NotEqual(t, b);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await Versioned.PutAsync("k", Value("C"), WriteCondition.IfMatch([t]))).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await Versioned.RemoveAsync("k", WriteCondition.IfMatch([t]))).Outcome);
        Assert.Equal("B", Text((await Store.GetAsync("k", Prototype))!));

        var again = (await Versioned.PutAsync("k", Value("A"), WriteCondition.IfMatch([b]))).Tag!;
        Assert.NotEqual(t, again);
        Assert.Equal(WriteOutcome.PreconditionFailed, (await Versioned.PutAsync("k", Value("D"), WriteCondition.IfMatch([t]))).Outcome);
        Assert.Equal(WriteOutcome.Deleted, (await Versioned.RemoveAsync("k", WriteCondition.IfMatch([t, again]))).Outcome);
        Assert.Null(await Versioned.GetVersionAsync("k"));
    }

    [Fact(DisplayName = "Writes answer their new tag; refused writes and deletes answer none")]
    public async Task WritesAnswerTheirTag()
    {
        var created = await Versioned.PutAsync("p/k", Value("v"), WriteCondition.IfAbsent);
        Assert.Equal(WriteOutcome.Created, created.Outcome);
        Assert.Matches("^\"[^\"]+\"$", created.Tag!);
        var refused = await Versioned.PutAsync("p/k", Value("w"), WriteCondition.IfAbsent);
        Assert.Equal(WriteResult.Of(WriteOutcome.PreconditionFailed), refused);
        Assert.Equal(created.Tag, await TagOfAsync("p/k"));
        Assert.Equal(WriteResult.Of(WriteOutcome.Deleted), await Versioned.RemoveAsync("p/k", WriteCondition.None));
        Assert.Equal(WriteResult.Of(WriteOutcome.Absent), await Versioned.RemoveAsync("p/k", WriteCondition.None));
    }

    [Fact(DisplayName = "A versioned read returns the slice with the whole length and the current tag; past the end an empty slice with the length")]
    public async Task VersionedReads()
    {
        var tag = (await Versioned.PutAsync("g/c/0", Value("0123456789"), WriteCondition.None)).Tag!;
        foreach (var (range, expected) in new (ByteRequest?, string)[]
                 {
                     (null, "0123456789"), (new RangeByteRequest(2, 5), "234"), (new OffsetByteRequest(7), "789"),
                     (new SuffixByteRequest(4), "6789"), (new SuffixByteRequest(40), "0123456789"), (new RangeByteRequest(5, 50), "56789"),
                     (new RangeByteRequest(10, 20), ""), (new OffsetByteRequest(99), ""), (new RangeByteRequest(3, 3), ""),
                 })
        {
            var stored = (await Versioned.GetVersionedAsync("g/c/0", range, Prototype))!;
            Assert.Equal(expected, Text(stored.Value));
            Assert.Equal(10, stored.Length);
            Assert.Equal(tag, stored.Tag);
        }

        Assert.Equal(new ValueVersion(10, tag), await Versioned.GetVersionAsync("g/c/0"));
        Assert.Null(await Versioned.GetVersionedAsync("g/c/1", new RangeByteRequest(0, 1)));
        Assert.Null(await Versioned.GetVersionAsync("g/c/1"));

        // A directory is not a key: it has no version.
        Assert.Null(await Versioned.GetVersionAsync("g/c"));
        Assert.Null(await Versioned.GetVersionedAsync("g"));
    }

    [Fact(DisplayName = "An empty value has a version of length 0")]
    public async Task EmptyValueHasAVersion()
    {
        await Store.SetAsync("empty", Value(string.Empty));
        var stored = (await Versioned.GetVersionedAsync("empty", new SuffixByteRequest(3), Prototype))!;
        Assert.Equal(0, stored.Value.Length);
        Assert.Equal(0, stored.Length);
        Assert.Equal(stored.Tag, await TagOfAsync("empty"));
    }

    [Fact(DisplayName = "Versioned reads and version queries refuse invalid keys as get does")]
    public async Task InvalidKeys()
    {
        var error = await Assert.ThrowsAsync<InvalidKeyException>(() => Versioned.GetVersionedAsync("/bad", null, Prototype));
        Assert.StartsWith(OperationNames.Get + ": ", error.Message, StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<InvalidKeyException>(() => Versioned.GetVersionAsync("a//b"));
        Assert.StartsWith(OperationNames.Get + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact(DisplayName = "Compare-and-set increments from 8 concurrent callers, tags read with the value, lose no update")]
    public async Task CompareAndSetLosesNoUpdate()
    {
        const int callers = 8;
        const int increments = 15;
        await Store.SetAsync("cas/counter", Value("0"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var done = 0; done < increments;)
            {
                var current = (await Versioned.GetVersionedAsync("cas/counter", null, Prototype))!;
                var next = Value((int.Parse(Text(current.Value)) + 1).ToString());
                var outcome = (await Versioned.PutAsync("cas/counter", next, WriteCondition.IfMatch([current.Tag]))).Outcome;
                if (outcome == WriteOutcome.Replaced)
                {
                    done++;
                }
                else
                {
                    Assert.Equal(WriteOutcome.PreconditionFailed, outcome);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);
        Assert.Equal((callers * increments).ToString(), Text((await Store.GetAsync("cas/counter", Prototype))!));
    }
}

public sealed class MemoryStoreVersionTests : VersionedStoreTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());
}

public sealed class ActorStoreVersionTests(StoreNodeFixture node) : VersionedStoreTests, IClassFixture<StoreNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

public sealed class DiskActorStoreVersionTests(DiskNodeFixture node) : VersionedStoreTests, IClassFixture<DiskNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}

/// <summary>With serialize-messages = on: the new queries and replies survive the wire.</summary>
public sealed class SerializingActorStoreVersionTests(SerializingNodeFixture node) : VersionedStoreTests, IClassFixture<SerializingNodeFixture>
{
    protected override Task<IStore> CreateStoreAsync() => node.FreshStoreAsync();
}
