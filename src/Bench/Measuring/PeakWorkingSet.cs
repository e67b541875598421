using System.Diagnostics;

namespace Zarr.Actors.Bench.Measuring;

/// <summary>Samples the process's working set while a scenario runs and keeps the largest.</summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

    public long Stop()
    {
        _timer.Dispose();
        Sample();
        return Interlocked.Read(ref _peak);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var current = process.WorkingSet64;
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }
}
