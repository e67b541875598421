using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace Zarr.Actors;

/// <summary>
/// Everything the store reads from configuration, read once, here: the <c>zarr-actors</c> section of
/// <c>hocon/zarr-actors.conf</c> (<see cref="DefaultConfig"/>) under whatever the application sets. Immutable;
/// the <c>With*</c> methods return checked copies, as <c>ClusterShardingSettings</c>' do.
/// </summary>
public sealed record ZarrActorsSettings
{
    /// <summary>The HOCON section of the store's settings.</summary>
    public const string Section = "zarr-actors";

    private ZarrActorsSettings()
    {
    }

    /// <summary>The disk backend's root directory (<c>zarr-actors.data-directory</c>); null keeps values in memory.</summary>
    public string? DataDirectory { get; private init; }

    /// <summary>Whether the store refuses writes (<c>zarr-actors.read-only</c>).</summary>
    public bool ReadOnly { get; private init; }

    /// <summary>How long a call waits for the actors before <see cref="StoreUnavailableException"/> (<c>zarr-actors.request-timeout</c>).</summary>
    public TimeSpan RequestTimeout { get; private init; }

    /// <summary>The shards prefixes are spread over (<c>zarr-actors.number-of-shards</c>): the same on every node, for as long as data exists.</summary>
    public int NumberOfShards { get; private init; }

    /// <summary>How long an owner may idle before it stops (<c>zarr-actors.passivate-idle-after</c>); zero never stops it.</summary>
    public TimeSpan PassivateIdleAfter { get; private init; }

    /// <summary>Whether small requests for other nodes' owners leave in batches through their relay (<c>zarr-actors.relay-remote-requests</c>).</summary>
    public bool RelayRemoteRequests { get; private init; }

    /// <summary>The configuration path of the dispatcher disk owners run on (<c>zarr-actors.use-disk-dispatcher</c>).</summary>
    public string DiskDispatcher { get; private init; } = string.Empty;

    /// <summary>The cluster role of the nodes that host owners (<c>zarr-actors.role</c>); empty: every node.</summary>
    public string Role { get; private init; } = string.Empty;

    /// <summary>The shipped defaults, <c>hocon/zarr-actors.conf</c> (embedded in this assembly).</summary>
    public static Config DefaultConfig() => ConfigurationFactory.ParseString(ShippedText.Value);

    /// <summary>The settings of <paramref name="system"/>'s configuration, over the defaults.</summary>
    public static ZarrActorsSettings Create(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Create(system.Settings.Config);
    }

    /// <summary>
    /// The settings <paramref name="config"/> gives, over <see cref="DefaultConfig"/>; throws
    /// <see cref="ArgumentException"/> naming the key when a value is missing its form or out of range.
    /// </summary>
    public static ZarrActorsSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.WithFallback(DefaultConfig()).GetConfig(Section);
        var directory = Read(section, "data-directory", (c, k) => c.GetString(k));
        var settings = new ZarrActorsSettings
        {
            DataDirectory = string.IsNullOrWhiteSpace(directory) ? null : directory,
            ReadOnly = Read(section, "read-only", (c, k) => c.GetBoolean(k)),
            RequestTimeout = Read(section, "request-timeout", (c, k) => c.GetTimeSpan(k)),
            NumberOfShards = Read(section, "number-of-shards", (c, k) => c.GetInt(k)),
            PassivateIdleAfter = Read(section, "passivate-idle-after", (c, k) =>
                c.GetString(k).Trim().ToLowerInvariant() is "off" or "infinite" ? TimeSpan.Zero : c.GetTimeSpan(k)),
            RelayRemoteRequests = Read(section, "relay-remote-requests", (c, k) => c.GetBoolean(k)),
            DiskDispatcher = Read(section, "use-disk-dispatcher", (c, k) => c.GetString(k)),
            Role = Read(section, "role", (c, k) => c.GetString(k)) ?? string.Empty,
        };
        return settings.Checked();
    }

    public ZarrActorsSettings WithDataDirectory(string? directory) =>
        (this with { DataDirectory = string.IsNullOrWhiteSpace(directory) ? null : directory }).Checked();

    public ZarrActorsSettings WithReadOnly(bool readOnly) => this with { ReadOnly = readOnly };

    public ZarrActorsSettings WithRequestTimeout(TimeSpan timeout) => (this with { RequestTimeout = timeout }).Checked();

    public ZarrActorsSettings WithNumberOfShards(int shards) => (this with { NumberOfShards = shards }).Checked();

    /// <summary>A copy whose owners stop after <paramref name="idle"/> without messages; zero keeps them.</summary>
    public ZarrActorsSettings WithPassivateIdleAfter(TimeSpan idle) => (this with { PassivateIdleAfter = idle }).Checked();

    public ZarrActorsSettings WithRelayRemoteRequests(bool relay) => this with { RelayRemoteRequests = relay };

    public ZarrActorsSettings WithDiskDispatcher(string dispatcher) => (this with { DiskDispatcher = dispatcher }).Checked();

    public ZarrActorsSettings WithRole(string? role) => this with { Role = role ?? string.Empty };

    /// <summary>These settings as HOCON, so a configuration built from them reads back the same.</summary>
    public Config ToConfig() => ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $$"""
        zarr-actors {
          data-directory = {{HoconText.Quote(DataDirectory ?? string.Empty)}}
          read-only = {{(ReadOnly ? "on" : "off")}}
          request-timeout = {{HoconText.Duration(RequestTimeout)}}
          number-of-shards = {{NumberOfShards}}
          passivate-idle-after = {{(PassivateIdleAfter == TimeSpan.Zero ? "off" : HoconText.Duration(PassivateIdleAfter))}}
          relay-remote-requests = {{(RelayRemoteRequests ? "on" : "off")}}
          use-disk-dispatcher = {{HoconText.Quote(DiskDispatcher)}}
          role = {{HoconText.Quote(Role)}}
        }
        """));

    private ZarrActorsSettings Checked()
    {
        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw Invalid("request-timeout", $"must be positive, not {RequestTimeout}");
        }

        if (NumberOfShards <= 0)
        {
            throw Invalid("number-of-shards", $"must be positive, not {NumberOfShards}");
        }

        if (PassivateIdleAfter < TimeSpan.Zero)
        {
            throw Invalid("passivate-idle-after", $"must not be negative (off keeps owners), not {PassivateIdleAfter}");
        }

        if (string.IsNullOrWhiteSpace(DiskDispatcher))
        {
            throw Invalid("use-disk-dispatcher", "must name a dispatcher's configuration path");
        }

        if (DataDirectory is { } directory && directory.IndexOf('\0') >= 0)
        {
            throw Invalid("data-directory", "must not contain a NUL character");
        }

        return this;
    }

    private static T Read<T>(Config section, string key, Func<Config, string, T> read)
    {
        try
        {
            return read(section, key);
        }
        catch (Exception e)
        {
            // Akka's readers throw whatever their parser meets; the caller learns which key it was.
            throw Invalid(key, $"has an invalid value: {e.Message.Split('\n')[0]}");
        }
    }

    private static ArgumentException Invalid(string key, string problem) => new($"{Section}.{key} {problem}");

    private static readonly Lazy<string> ShippedText = new(() =>
    {
        const string name = "hocon/zarr-actors.conf";
        using var stream = typeof(ZarrActorsSettings).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
