using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zarr.Actors.Host;

/// <summary>
/// Keeps a node from sharing its Akka address with another process. Akka's TCP transport asks for
/// SO_REUSEADDR (<c>tcp-reuse-addr</c>), which .NET on Linux also turns into SO_REUSEPORT: a second node
/// then binds a port that is in use and the kernel spreads incoming connections over both. Switching reuse
/// off would instead refuse a node restarted while its port's old connections sit in TIME_WAIT. So the host
/// checks the port itself, with SO_REUSEADDR alone, before the node starts, and looks for a process sharing
/// it afterwards (two nodes started at the same moment both pass the first check).
/// </summary>
internal static class AkkaPortGuard
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const string Listening = "0A";

    /// <summary>Null when nothing listens on <paramref name="host"/>:<paramref name="port"/>; else a one-line reason.</summary>
    public static string? FindListener(string host, int port)
    {
        if (port == 0 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone: a restarted node's TIME_WAIT leftovers do not count, any listener does.
        probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen(1);
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return InUse(host, port);
        }
    }

    /// <summary>
    /// Null unless another process also listens on <paramref name="port"/> of this node's address (or on all
    /// addresses), as SO_REUSEPORT allows; then a one-line reason. Reads <c>/proc/net/tcp*</c> (Linux).
    /// </summary>
    public static string? FindSharer(string host, int port)
    {
        if (!OperatingSystem.IsLinux() || !IPAddress.TryParse(host, out var ours))
        {
            return null;
        }

        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                own.Add(target["socket:[".Length..^1]);
            }
        }

        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.Exists(table) ? File.ReadLines(table).Skip(1) : [])
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Listening || own.Contains(fields[9]))
                {
                    continue;
                }

                var (address, listenPort) = ParseEndpoint(fields[1]);
                if (listenPort == port && (address.Equals(Normalize(ours)) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
                {
                    return InUse(host, port);
                }
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="error"/> (or an exception inside it) is a bind to an address in use.</summary>
    public static bool IsAddressInUse(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAddressInUse),
        { InnerException: { } inner } => IsAddressInUse(inner),
        _ => false,
    };

    /// <summary>The one line a node whose port is taken exits with.</summary>
    public static string InUse(string host, int port) =>
        $"the Akka port {host}:{port} is in use by another process; start this node with another --port";

    /// <summary>An endpoint of <c>/proc/net/tcp*</c>: hex address (32-bit words in host order) and hex port.</summary>
    private static (IPAddress Address, int Port) ParseEndpoint(string field)
    {
        var colon = field.IndexOf(':');
        var hex = field[..colon];
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return (Normalize(new IPAddress(bytes)), int.Parse(field.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
