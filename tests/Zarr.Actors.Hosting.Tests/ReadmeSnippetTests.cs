using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zarr.Actors.Testing;
using Zarr.Arrays;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Hosting.Tests;

/// <summary>
/// The README's code, compiled and run: each test body is its snippet (between the markers), so a snippet
/// that stops compiling or working fails here. Only what a test must change is marked (a free port). And
/// every C# block of the README is one of these snippets, line for line, so the two cannot drift apart.
/// </summary>
public sealed class ReadmeSnippetTests
{
    [Fact(DisplayName = "README: the in-process snippet and the arrays snippet after it work as written")]
    public async Task InProcessAndArraysSnippets()
    {
        // --- snippet: in-process ---
        await using StoreNode node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = null });
        IStore store = node.Store;                       // an ActorStore: one sharded owner per key prefix

        await store.SetAsync("group/array/c/0/3", ByteBuffer.FromBytes("hello, zarr"u8));
        ByteBuffer? head = await store.GetAsync("group/array/c/0/3", byteRange: new RangeByteRequest(0, 5));
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(head!.Span));          // hello
        bool first = await store.SetIfNotExistsAsync("group/zarr.json", ByteBuffer.FromBytes("{}"u8));
        await foreach (string key in store.ListAsync()) Console.WriteLine(key);
        await foreach (string name in store.ListDirAsync("group/array")) Console.WriteLine(name);   // c
        // --- end ---

        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(head.Span));
        Assert.True(first);

        // --- snippet: arrays ---
        var metadata = new ArrayMetadata(shape: [1000, 1000], DataType.Float32, chunkShape: [100, 100], fillValue: float.NaN,
            codecs: [new ShardingCodec(chunkShape: [10, 10], codecs: [new BytesCodec(), new GzipCodec(level: 5)])]);
        ZarrArray array = await ZarrArray.CreateAsync(store, "weather/temperature", metadata);
        await array.WriteAsync([30..40, 100..120], NDBuffer.Create([10, 20], DataType.Float32, fillValue: 21.5f));
        NDBuffer read = await array.ReadAsync([38..41, 119..121]);   // [[21.5, NaN], [21.5, NaN], [NaN, NaN]]
        // --- end ---

        Assert.Equal("<NDBuffer shape=(3, 2) dtype=float32 [[21.5, NaN], [21.5, NaN], [NaN, NaN]]>", read.ToString());
    }

    [Fact(DisplayName = "README: every C# block is a snippet these tests run, line for line")]
    public void ReadmeShowsTheTestedSnippets()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var tests = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "Zarr.Actors.Hosting.Tests", "ReadmeSnippetTests.cs"));
        // The markers are built, not written out, so this code is not taken for a snippet itself.
        var snippets = Blocks(tests, "// --- " + "snippet: ", "// --- " + "end ---")
            .Select(block => Normalize(block.Replace("$\"akka.tcp://zarr-actors@127.0.0.1:{port}\"", "\"akka.tcp://zarr-actors@127.0.0.1:4053\"")
                .Replace("(\"127.0.0.1\", port)", "(\"127.0.0.1\", 4053)")))
            .ToList();
        var shown = Blocks(readme, "```csharp", "```").Select(Normalize).ToList();

        Assert.Equal(5, shown.Count);
        foreach (var block in shown)
        {
            Assert.True(snippets.Contains(block), $"this README block is not a tested snippet:\n{block}");
        }
    }

    /// <summary>The code lines of a block: trimmed, without usings (the test file has them) and blank lines.</summary>
    private static string Normalize(string block) => string.Join('\n', block.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith("using ", StringComparison.Ordinal) || line.StartsWith("using var", StringComparison.Ordinal)));

    private static IEnumerable<string> Blocks(string text, string start, string end)
    {
        for (var at = text.IndexOf(start, StringComparison.Ordinal); at >= 0; at = text.IndexOf(start, at, StringComparison.Ordinal))
        {
            var from = text.IndexOf('\n', at) + 1;
            var to = text.IndexOf(end, from, StringComparison.Ordinal);
            yield return text[from..to];
            at = to + end.Length;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zarr.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests do not run inside the repository");
    }

    [Fact(DisplayName = "README (Hosting): the Akka.Hosting snippet starts a node whose IStore works")]
    public async Task HostingSnippet()
    {
        var port = FreePort(); // test only: the README uses 4053
        string[] args = [];

        // --- snippet: Akka.Hosting ---
        var builder = Host.CreateApplicationBuilder(args);
        var options = builder.Configuration.GetSection("ZarrActors").Get<ZarrActorsOptions>() ?? new ZarrActorsOptions();
        builder.Services.AddAkka("zarr-actors", akka => akka
            .WithZarrActors(options)                // before WithClustering: the store's defaults come first
            .WithRemoting("127.0.0.1", port)
            .WithClustering(new ClusterOptions { SeedNodes = [$"akka.tcp://zarr-actors@127.0.0.1:{port}"] })
            .WithActorSystemLivenessCheck()
            .WithAkkaClusterReadinessCheck());
        builder.Services.AddZarrActorsStore();      // IStore (and ActorStore) in dependency injection
        using var host = builder.Build();
        await host.StartAsync();

        IStore store = host.Services.GetRequiredService<IStore>();
        var cluster = Cluster.Get(host.Services.GetRequiredService<ActorSystem>());
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(up.SetResult);   // calls before the node is Up fail at once
        await up.Task;
        await store.SetAsync("group/array/c/0", ByteBuffer.FromBytes("chunk"u8));
        // --- end ---

        Assert.Equal("chunk"u8.ToArray(), (await store.GetAsync("group/array/c/0"))!.ToArray());
        await host.StopAsync();
    }

    [Fact(DisplayName = "README (Hosting): the snippet attaching the store to an ActorSystem the application runs works as written")]
    public async Task ExistingActorSystemSnippet()
    {
        // --- snippet: an ActorSystem you already run ---
        using var system = ActorSystem.Create("app", """
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 8 MiB }
            """);
        ActorStore store = await ActorStore.StartAsync(system);  // adds what it needs that the system lacks
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(up.SetResult);
        cluster.Join(cluster.SelfAddress);                       // or seed nodes; calls before Up fail at once
        await up.Task;
        await store.SetAsync("group/array/c/0", ByteBuffer.FromBytes("chunk"u8));
        // --- end ---

        Assert.Equal("chunk"u8.ToArray(), (await store.GetAsync("group/array/c/0"))!.ToArray());
    }

    [Fact(DisplayName = "README (Hosting): the test-buffer snippet works as written")]
    public async Task TestBufferSnippet()
    {
        // --- snippet: the test-buffer store ---
        using var actorSystem = ActorSystem.Create("tests");
        var store = new StoreExpectingTestBuffer(actorSystem);
        byte[] chunkBytes = [1, 2, 3, 4];
        await store.SetAsync("arr/c/0/0", TestBuffer.FromBytes(chunkBytes));            // a ByteBuffer would throw
        var chunk = await store.GetAsync("arr/c/0/0", TestBufferPrototype.Instance);     // a TestBuffer
        // --- end ---

        Assert.IsType<TestBuffer>(chunk);
        await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => store.SetAsync("arr/c/0/1", ByteBuffer.FromBytes(chunkBytes)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
