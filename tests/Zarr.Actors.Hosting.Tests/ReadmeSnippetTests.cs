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
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Hosting.Tests;

/// <summary>
/// The README's code, compiled and run: each test body is its snippet (between the markers), so a snippet
/// that stops compiling or working fails here. Only what a test must change is marked (a free port).
/// </summary>
public sealed class ReadmeSnippetTests
{
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
