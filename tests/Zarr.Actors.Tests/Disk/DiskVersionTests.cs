using System.Text;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Disk;

/// <summary>
/// Version tags on disk come from the files' metadata: the same file keeps its tag across restarts of the
/// node, and a file another program replaced or rewrote while the node was down gets a new one.
/// </summary>
public sealed class DiskVersionTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("zarr-versions-");

    private static ByteBuffer Bytes(string text) => ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(text));

    private string PathOf(string key) => Path.Combine(_root.FullName, key);

    private async Task<StoreNode> StartAsync() => await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = _root.FullName });

    [Fact(DisplayName = "A restart of the node on the same data directory keeps every tag, and If-Match with it still holds")]
    public async Task TagsSurviveARestart()
    {
        string created, replaced, planted;
        File.WriteAllText(PathOf("planted"), "written by another tool");
        await using (var node = await StartAsync())
        {
            created = (await node.Store.PutAsync("a/b/k", Bytes("one"), WriteCondition.IfAbsent)).Tag!;
            await node.Store.PutAsync("a/b/other", Bytes("one"), WriteCondition.None);
            replaced = (await node.Store.PutAsync("a/b/other", Bytes("two"), WriteCondition.None)).Tag!;
            planted = (await node.Store.GetVersionAsync("planted"))!.Tag;
        }

        await using (var node = await StartAsync())
        {
            Assert.Equal(created, (await node.Store.GetVersionAsync("a/b/k"))!.Tag);
            Assert.Equal(created, (await node.Store.GetVersionedAsync("a/b/k", new RangeByteRequest(0, 1)))!.Tag);
            Assert.Equal(replaced, (await node.Store.GetVersionAsync("a/b/other"))!.Tag);
            Assert.Equal(planted, (await node.Store.GetVersionAsync("planted"))!.Tag);
            Assert.Equal(WriteOutcome.Replaced, (await node.Store.PutAsync("a/b/k", Bytes("three"), WriteCondition.IfMatch([created]))).Outcome);
        }
    }

    [Fact(DisplayName = "A file replaced or rewritten by another program while the node is down gets a new tag, even with the same bytes")]
    public async Task OutsideChangesChangeTheTag()
    {
        string rewritten, replaced;
        await using (var node = await StartAsync())
        {
            rewritten = (await node.Store.PutAsync("g/rewritten", Bytes("same bytes"), WriteCondition.None)).Tag!;
            replaced = (await node.Store.PutAsync("g/replaced", Bytes("same bytes"), WriteCondition.None)).Tag!;
        }

        // In place (same inode), and by a new file renamed over the old one, as editors and copy tools do.
        File.WriteAllText(PathOf("g/rewritten"), "same bytes");
        File.WriteAllText(PathOf("g/.new"), "same bytes");
        File.Move(PathOf("g/.new"), PathOf("g/replaced"), overwrite: true);

        await using (var node = await StartAsync())
        {
            var now = (await node.Store.GetVersionAsync("g/rewritten"))!;
            Assert.Equal(10, now.Length);
            Assert.NotEqual(rewritten, now.Tag);
            Assert.NotEqual(replaced, (await node.Store.GetVersionAsync("g/replaced"))!.Tag);
            Assert.Equal(WriteOutcome.PreconditionFailed, (await node.Store.PutAsync("g/rewritten", Bytes("x"), WriteCondition.IfMatch([rewritten]))).Outcome);
            Assert.Equal(WriteOutcome.PreconditionFailed, (await node.Store.RemoveAsync("g/replaced", WriteCondition.IfMatch([replaced]))).Outcome);
            Assert.Equal("same bytes", Encoding.UTF8.GetString((await node.Store.GetAsync("g/replaced"))!.Span));
        }
    }

    [Fact(DisplayName = "Hundreds of writes of one key on disk never repeat a tag, though the file system reuses inode numbers")]
    public async Task ManyWritesNeverRepeatATag()
    {
        await using var node = await StartAsync();
        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            // Two values of one size, alternating: only the write-time stamp can tell a reused inode apart.
            var result = await node.Store.PutAsync("k", Bytes(i % 2 == 0 ? "A" : "B"), WriteCondition.None);
            Assert.True(tags.Add(result.Tag!), $"write {i} repeated the tag {result.Tag}");
        }
    }

    public void Dispose() => _root.Delete(recursive: true);
}
