using System.Globalization;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.DistributedData;

namespace Zarr.Actors;

/// <summary>
/// The one place a node's configuration is assembled: options over the caller's extra HOCON over the
/// shipped <c>hocon/zarr-actors.conf</c> (embedded in this assembly) over the defaults of the Akka modules
/// the store runs on. <see cref="ZarrActorsSettings.Create(Config)"/> then reads the store's own section.
/// </summary>
public static class NodeConfig
{
    /// <summary>The shipped defaults, <c>hocon/zarr-actors.conf</c> (the same as <see cref="ZarrActorsSettings.DefaultConfig"/>).</summary>
    public static Config Defaults() => ZarrActorsSettings.DefaultConfig();

    /// <summary>
    /// What a store's actor system falls back to: the shipped defaults, then Cluster.Sharding's, Cluster.Singleton's
    /// and DistributedData's. Peers send sharding, singleton and ddata messages as soon as a node joins,
    /// before those extensions would add their serializers: their defaults must be there from the start.
    /// </summary>
    public static Config Fallback() => Defaults()
        .WithFallback(ClusterSharding.DefaultConfig())
        .WithFallback(ClusterSingleton.DefaultConfig())
        .WithFallback(DistributedData.DefaultConfig());

    /// <summary>The whole configuration of a node started with <paramref name="options"/>.</summary>
    public static Config Build(StoreNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var seeds = string.Join(", ", options.SeedNodes.Select(seed =>
            HoconText.Quote($"akka.tcp://{options.SystemName}@{seed}")));
        var fromOptions = new List<string>
        {
            $"akka.remote.dot-netty.tcp.hostname = {HoconText.Quote(options.Hostname)}",
            string.Create(CultureInfo.InvariantCulture, $"akka.remote.dot-netty.tcp.port = {options.Port}"),
            $"akka.cluster.seed-nodes = [{seeds}]",
        };

        // An option left at its default leaves the decision to the configuration below it.
        if (options.DataDirectory is not null)
        {
            fromOptions.Add($"zarr-actors.data-directory = {HoconText.Quote(options.DataDirectory)}");
        }

        if (options.ReadOnly)
        {
            fromOptions.Add("zarr-actors.read-only = on");
        }

        if (options.RequestTimeout is { } timeout)
        {
            fromOptions.Add($"zarr-actors.request-timeout = {HoconText.Duration(timeout)}");
        }

        var config = ConfigurationFactory.ParseString(string.Join('\n', fromOptions));
        if (!string.IsNullOrWhiteSpace(options.ExtraConfig))
        {
            Config extra;
            try
            {
                extra = ConfigurationFactory.ParseString(options.ExtraConfig);
            }
            catch (Exception e)
            {
                throw new ArgumentException($"the extra configuration is not valid HOCON: {e.Message}", nameof(options), e);
            }

            config = config.WithFallback(extra);
        }

        return config.WithFallback(Fallback());
    }

    private static void Validate(StoreNodeOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 and 65535");
        }

        if (string.IsNullOrWhiteSpace(options.Hostname))
        {
            throw new ArgumentException("Hostname must not be empty", nameof(options));
        }

        foreach (var seed in options.SeedNodes)
        {
            var colon = seed.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(seed.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"seed node '{seed}' is not host:port", nameof(options));
            }
        }

        if (options.RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RequestTimeout, "RequestTimeout must be positive");
        }
    }
}
