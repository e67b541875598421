using System.Collections.Concurrent;

namespace Zarr.Actors.Host;

/// <summary>Counters the gateway keeps for <c>/__metrics</c>: operations, bytes, and errors by kind.</summary>
public sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<string, long> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _bytesRead;
    private long _bytesWritten;

    public void Operation(string name) => _operations.AddOrUpdate(name, 1, (_, count) => count + 1);

    public void Error(int status) => _errors.AddOrUpdate(status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, count) => count + 1);

    public void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void Written(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    public object Snapshot() => new
    {
        operations = new SortedDictionary<string, long>(_operations, StringComparer.Ordinal),
        errors_by_status = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
        bytes_read = Interlocked.Read(ref _bytesRead),
        bytes_written = Interlocked.Read(ref _bytesWritten),
    };
}
