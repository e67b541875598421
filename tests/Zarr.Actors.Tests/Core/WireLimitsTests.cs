using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Core;

/// <summary>The sizes that bound one remote message, and the rule that ties them to the transport's frame.</summary>
public sealed class WireLimitsTests() : TestKit(NodeConfig.Defaults().WithFallback(ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.port = 0")))
{
    [Fact(DisplayName = "A relay batch, the piece that ends it and every item's own fields fit the shipped frame")]
    public void TheRuleHolds()
    {
        Assert.Equal(WireLimits.MaxBatchBytes + WireLimits.PieceSize + (long)WireLimits.MaxBatchItems * WireLimits.MaxItemOverhead, WireLimits.RequiredFrameSize);
        Assert.True(WireLimits.RequiredFrameSize <= WireLimits.ShippedFrameSize, $"{WireLimits.RequiredFrameSize} > {WireLimits.ShippedFrameSize}");
        Assert.Equal(WireLimits.ShippedFrameSize, NodeConfig.Defaults().GetByteSize(WireLimits.FrameSizeSetting));
        Assert.True(WireLimits.MaxBatchedValueBytes < WireLimits.MaxBatchBytes);
        Assert.True(WireLimits.SharedSlack < WireLimits.MaxBatchedValueBytes);

        // An item's fields besides its value: id, kind, manifest, the longest key as prefix and name, lengths, a tag.
        Assert.True(8 + 1 + 8 + KeyRules.MaxKeyBytes + 4 * 8 + 64 <= WireLimits.MaxItemOverhead);
    }

    [Fact(DisplayName = "The largest batches the relay can build serialize within the required frame")]
    public void LargestBatchesFit()
    {
        var longPrefix = string.Join('/', Enumerable.Repeat(new string('p', 192), 4));
        var longName = new string('n', KeyRules.MaxKeyBytes - longPrefix.Length - 1);
        KeyRules.ValidateKey(KeyRules.Join(longPrefix, longName), OperationNames.Set);

        // Just under the batch limit in small writes with the longest keys and a tag each, then the largest batched value.
        var small = ByteBuffer.FromMemory(new byte[(WireLimits.MaxBatchBytes - 1) / (WireLimits.MaxBatchItems - 1)]);
        // The longest tag a version can have (a disk tag with every field at 64 bits), quoted.
        var condition = WriteCondition.IfMatch(["\"f" + new string('f', 8 + 1 + 8 + 4 * (1 + 16)) + "\""]);
        var requests = Enumerable.Range(0, WireLimits.MaxBatchItems - 1)
            .Select(i => new Relayed(i, new PutValue(longPrefix, longName, small, condition)))
            .Append(new Relayed(long.MaxValue, new PutValue(longPrefix, longName, ByteBuffer.FromMemory(new byte[WireLimits.MaxBatchedValueBytes]), condition)))
            .ToList();

        // Replies: the same, ended by a piece.
        var replies = Enumerable.Range(0, WireLimits.MaxBatchItems - 1)
            .Select(i => new Relayed(i, (object)small))
            .Append(new Relayed(long.MaxValue, ByteBuffer.FromMemory(new byte[WireLimits.PieceSize])))
            .ToList();

        foreach (var batch in new object[] { new RelayedRequests(requests), new RelayedReplies(replies) })
        {
            var bytes = Sys.Serialization.FindSerializerFor(batch).ToBinary(batch);
            Assert.True(bytes.Length <= WireLimits.RequiredFrameSize, $"{batch.GetType().Name}: {bytes.Length} bytes > {WireLimits.RequiredFrameSize}");
        }
    }

    [Theory(DisplayName = "A frame below the required size is refused, naming the setting and the size needed")]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size = 1 MiB")]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size = 7000000b")]
    public void SmallFramesAreRefused(string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => WireLimits.CheckFrame(ConfigurationFactory.ParseString(setting)));
        Assert.Contains(WireLimits.FrameSizeSetting, error.Message);
        Assert.Contains(WireLimits.RequiredFrameSize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        WireLimits.CheckFrame(NodeConfig.Defaults());
    }

    [Fact(DisplayName = "A node configured with too small a frame fails to start with an ArgumentException naming the setting")]
    public async Task NodeWithSmallFrameDoesNotStart()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            StoreNode.StartAsync(new StoreNodeOptions { ExtraConfig = "akka.remote.dot-netty.tcp.maximum-frame-size = 2 MiB" }));
        Assert.Contains(WireLimits.FrameSizeSetting, error.Message);
    }
}
