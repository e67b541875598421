using Akka.Cluster;

namespace Zarr.Actors.Host;

/// <summary>What <c>/__health</c> says of a cluster node: up or not, and every member as this node sees it.</summary>
public static class MembershipReport
{
    public static HealthReport Of(Cluster cluster)
    {
        var state = cluster.State;
        var self = state.Members.FirstOrDefault(m => m.Address == cluster.SelfAddress);
        return new HealthReport(
            self?.Status == MemberStatus.Up && !state.Unreachable.Any(m => m.Address == cluster.SelfAddress),
            cluster.SelfAddress.ToString(),
            state.Members.Select(m => new MemberReport(m.Address.ToString(), state.Unreachable.Contains(m) ? "Unreachable" : m.Status.ToString())).ToList());
    }
}
