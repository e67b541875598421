using Akka.Configuration;

namespace Zarr.Actors.Tests.Core;

/// <summary>The one settings type: defaults from the shipped HOCON, every key read, bad values named.</summary>
public sealed class ZarrActorsSettingsTests
{
    [Fact(DisplayName = "With no configuration the settings are the shipped file's: memory, 30 s, 100 shards, 2 min, relay on, every node")]
    public void Defaults()
    {
        var settings = ZarrActorsSettings.Create(Config.Empty);
        Assert.Null(settings.DataDirectory);
        Assert.False(settings.ReadOnly);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RequestTimeout);
        Assert.Equal(100, settings.NumberOfShards);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.PassivateIdleAfter);
        Assert.True(settings.RelayRemoteRequests);
        Assert.Equal("zarr-actors.disk-dispatcher", settings.DiskDispatcher);
        Assert.Equal(string.Empty, settings.Role);
        Assert.True(ZarrActorsSettings.DefaultConfig().HasPath("zarr-actors.disk-dispatcher.dedicated-thread-pool.thread-count"));
    }

    [Fact(DisplayName = "Every zarr-actors key is read, and ToConfig writes settings that read back the same")]
    public void EveryKeyIsRead()
    {
        var settings = ZarrActorsSettings.Create(ConfigurationFactory.ParseString("""
            zarr-actors {
              data-directory = "/srv/zarr data/\"quoted\""
              read-only = on
              request-timeout = 7s
              number-of-shards = 12
              passivate-idle-after = off
              relay-remote-requests = off
              use-disk-dispatcher = "my-disk"
              role = "store"
            }
            """));
        Assert.Equal("/srv/zarr data/\"quoted\"", settings.DataDirectory);
        Assert.True(settings.ReadOnly);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.RequestTimeout);
        Assert.Equal(12, settings.NumberOfShards);
        Assert.Equal(TimeSpan.Zero, settings.PassivateIdleAfter);
        Assert.False(settings.RelayRemoteRequests);
        Assert.Equal("my-disk", settings.DiskDispatcher);
        Assert.Equal("store", settings.Role);
        Assert.Equal(settings, ZarrActorsSettings.Create(settings.ToConfig()));

        var copy = settings.WithRequestTimeout(TimeSpan.FromMilliseconds(1500)).WithPassivateIdleAfter(TimeSpan.FromSeconds(90)).WithDataDirectory(null);
        Assert.Equal(copy, ZarrActorsSettings.Create(copy.ToConfig()));
        Assert.Null(copy.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.RequestTimeout); // the original is unchanged
    }

    [Theory(DisplayName = "A bad value fails with an ArgumentException naming its key and what is wrong")]
    [InlineData("zarr-actors.number-of-shards = 0", "zarr-actors.number-of-shards must be positive, not 0")]
    [InlineData("zarr-actors.request-timeout = 0s", "zarr-actors.request-timeout must be positive")]
    [InlineData("zarr-actors.request-timeout = banana", "zarr-actors.request-timeout has an invalid value")]
    [InlineData("zarr-actors.number-of-shards = many", "zarr-actors.number-of-shards has an invalid value")]
    [InlineData("zarr-actors.read-only = perhaps", "zarr-actors.read-only has an invalid value")]
    [InlineData("zarr-actors.use-disk-dispatcher = \"\"", "zarr-actors.use-disk-dispatcher must name")]
    public void BadValuesNameTheirKey(string hocon, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ZarrActorsSettings.Create(ConfigurationFactory.ParseString(hocon)));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact(DisplayName = "With* copies refuse what Create refuses, naming the key")]
    public void CopiesAreChecked()
    {
        var settings = ZarrActorsSettings.Create(Config.Empty);
        Assert.Contains("zarr-actors.number-of-shards", Assert.Throws<ArgumentException>(() => settings.WithNumberOfShards(-3)).Message);
        Assert.Contains("zarr-actors.request-timeout", Assert.Throws<ArgumentException>(() => settings.WithRequestTimeout(TimeSpan.Zero)).Message);
        Assert.Contains("zarr-actors.passivate-idle-after", Assert.Throws<ArgumentException>(() => settings.WithPassivateIdleAfter(TimeSpan.FromSeconds(-1))).Message);
    }

    [Fact(DisplayName = "StoreNodeOptions map onto the settings: options over ExtraConfig over the shipped file")]
    public void NodeOptionsMapOntoSettings()
    {
        var settings = ZarrActorsSettings.Create(NodeConfig.Build(new StoreNodeOptions
        {
            DataDirectory = "/data",
            ReadOnly = true,
            RequestTimeout = TimeSpan.FromSeconds(3),
            ExtraConfig = "zarr-actors { request-timeout = 9s, number-of-shards = 20 }",
        }));
        Assert.Equal("/data", settings.DataDirectory);
        Assert.True(settings.ReadOnly);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.RequestTimeout);
        Assert.Equal(20, settings.NumberOfShards);
        Assert.Equal(TimeSpan.FromSeconds(9), ZarrActorsSettings.Create(NodeConfig.Build(new StoreNodeOptions { ExtraConfig = "zarr-actors.request-timeout = 9s" })).RequestTimeout);
    }
}
