using System.Globalization;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.DistributedData;

namespace Zarr.Actors;

/// <summary>
/// The one place a node's configuration is assembled: options over the caller's extra HOCON over the
/// shipped <c>hocon/zarr-actors.conf</c> (embedded in this assembly) over Akka's own defaults.
/// </summary>
public static class NodeConfig
{
    /// <summary>The shipped defaults, <c>hocon/zarr-actors.conf</c>.</summary>
    public static Config Defaults() => ConfigurationFactory.ParseString(ReadEmbedded("hocon/zarr-actors.conf"));

    /// <summary>The whole configuration of a node started with <paramref name="options"/>.</summary>
    public static Config Build(StoreNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var seeds = string.Join(", ", options.SeedNodes.Select(seed =>
            $"\"akka.tcp://{options.SystemName}@{seed}\""));
        var fromOptions = ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $$"""
            akka.remote.dot-netty.tcp.hostname = "{{options.Hostname}}"
            akka.remote.dot-netty.tcp.port = {{options.Port}}
            akka.cluster.seed-nodes = [{{seeds}}]
            """));

        var config = fromOptions;
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

        // Peers send sharding, singleton and ddata messages as soon as this node joins, before the
        // extensions would register their serializers: their defaults must be there from the start.
        return config.WithFallback(Defaults())
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(ClusterSingleton.DefaultConfig())
            .WithFallback(DistributedData.DefaultConfig());
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

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(NodeConfig).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
