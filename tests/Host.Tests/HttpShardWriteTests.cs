using Xunit.Abstractions;
using Zarr.Arrays;
using Zarr.Arrays.Tests;

namespace Zarr.Actors.Host.Tests;

/// <summary>The race of issue 14 over HTTP: Zarr.Arrays on <see cref="HttpStore"/>, whose merges are the gateway's PATCH.</summary>
public sealed class HttpShardWriteTests(GatewayNodeFixture fixture, ITestOutputHelper output) : IClassFixture<GatewayNodeFixture>
{
    [Fact(DisplayName = "16 writers over HTTP, each writing its own inner chunks of the same shards, lose nothing through PATCH merges, 20 rounds")]
    public async Task WritersOverHttp()
    {
        var store = await fixture.FreshStoreAsync();
        var lost = await ShardWriteRace.RunAsync([store], PartialShardWrites.Merge, output.WriteLine);
        Assert.All(lost, round => Assert.Equal(0, round));
        await ShardWriteRace.AssertLastRoundAsync(fixture.Node.Store);
    }
}
