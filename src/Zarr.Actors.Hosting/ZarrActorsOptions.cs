using System.Globalization;
using Akka.Configuration;

namespace Zarr.Actors.Hosting;

/// <summary>
/// The store's settings as a plain options class, bindable from <c>IConfiguration</c> (e.g. the section
/// <c>ZarrActors</c> of <c>appsettings.json</c>). A property left null keeps what the HOCON configuration
/// says (<c>hocon/zarr-actors.conf</c> and anything the application adds); <see cref="ToConfig"/> is the one
/// place options become configuration, which <see cref="ZarrActorsSettings"/> then reads.
/// </summary>
public sealed class ZarrActorsOptions
{
    /// <summary>The section name this class is usually bound from.</summary>
    public const string SectionName = "ZarrActors";

    /// <summary><c>zarr-actors.data-directory</c>: where owners keep values; empty keeps them in memory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary><c>zarr-actors.read-only</c>: the store refuses writes.</summary>
    public bool? ReadOnly { get; set; }

    /// <summary><c>zarr-actors.request-timeout</c>: how long a call waits before <see cref="StoreUnavailableException"/>.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>zarr-actors.number-of-shards</c>: the same on every node, for as long as data exists.</summary>
    public int? NumberOfShards { get; set; }

    /// <summary><c>zarr-actors.passivate-idle-after</c>: how long an owner may idle before it stops; zero keeps owners.</summary>
    public TimeSpan? PassivateIdleAfter { get; set; }

    /// <summary><c>zarr-actors.relay-remote-requests</c>: batch small requests for other nodes' owners.</summary>
    public bool? RelayRemoteRequests { get; set; }

    /// <summary><c>zarr-actors.use-disk-dispatcher</c>: the configuration path of the dispatcher disk owners run on.</summary>
    public string? DiskDispatcher { get; set; }

    /// <summary>
    /// <c>zarr-actors.role</c>: the cluster role of the nodes that host owners. A node without it (see
    /// <c>ClusterOptions.Roles</c>) reaches them through a proxy and hosts none; empty: every node hosts.
    /// </summary>
    public string? Role { get; set; }

    /// <summary>
    /// The options that are set, as HOCON over nothing else; throws <see cref="ArgumentException"/> naming the
    /// key when a value is out of range (checked against the shipped defaults for the rest).
    /// </summary>
    public Config ToConfig()
    {
        var lines = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                lines.Add($"{ZarrActorsSettings.Section}.{key} = {value}");
            }
        }

        Add("data-directory", DataDirectory is null ? null : Quote(DataDirectory));
        Add("read-only", OnOff(ReadOnly));
        Add("request-timeout", RequestTimeout is { } timeout ? Milliseconds(timeout) : null);
        Add("number-of-shards", NumberOfShards?.ToString(CultureInfo.InvariantCulture));
        Add("passivate-idle-after", PassivateIdleAfter is { } idle ? idle == TimeSpan.Zero ? "off" : Milliseconds(idle) : null);
        Add("relay-remote-requests", OnOff(RelayRemoteRequests));
        Add("use-disk-dispatcher", DiskDispatcher is null ? null : Quote(DiskDispatcher));
        Add("role", Role is null ? null : Quote(Role));

        var config = lines.Count == 0 ? Config.Empty : ConfigurationFactory.ParseString(string.Join('\n', lines));
        ZarrActorsSettings.Create(config);
        return config;
    }

    /// <summary>The settings these options give over the shipped defaults alone.</summary>
    public ZarrActorsSettings ToSettings() => ZarrActorsSettings.Create(ToConfig());

    private static string? OnOff(bool? value) => value is null ? null : value.Value ? "on" : "off";

    // A negative duration stays negative, so the settings' check names it.
    private static string Milliseconds(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms");

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
