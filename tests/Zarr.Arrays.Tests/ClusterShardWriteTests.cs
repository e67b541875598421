using Xunit.Abstractions;
using Zarr.Actors.Tests.Cluster;

namespace Zarr.Arrays.Tests;

/// <summary>The race of <see cref="ShardWriteRace"/> with its writers on two nodes of one cluster.</summary>
public sealed class ClusterShardWriteTests(ITestOutputHelper output)
{
    [Fact(DisplayName = "16 writers on two nodes, each writing its own inner chunks of the same shards, lose nothing through the owner's merge, 20 rounds")]
    public async Task WritersOnTwoNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var stores = cluster.Nodes.Select(node => node.Store).ToArray();
        var lost = await ShardWriteRace.RunAsync(stores, PartialShardWrites.Merge, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));

        // Both nodes read the same, whole last round.
        foreach (var store in stores)
        {
            await ShardWriteRace.AssertLastRoundAsync(store);
        }
    }
}
