namespace Zarr.Actors.Host;

/// <summary>How the HTTP gateway behaves, whatever store is behind it.</summary>
public sealed record GatewayOptions
{
    /// <summary>When set, every request but a CORS preflight needs <c>Authorization: Bearer {Token}</c>.</summary>
    public string? Token { get; init; }

    /// <summary>The largest value a PUT may carry.</summary>
    public long MaxValueBytes { get; init; } = CommandLine.DefaultMaxValueBytes;
}

/// <summary>What <c>/__health</c> reports.</summary>
public sealed record HealthReport(bool Healthy, string Node, IReadOnlyList<MemberReport> Members);

/// <summary>One cluster member as the node sees it.</summary>
public sealed record MemberReport(string Address, string Status);
