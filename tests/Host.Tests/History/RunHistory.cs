using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// What a run recorded: every operation with its invocation and completion on one clock, the
/// nemesis's timeline on the same clock, and problems that are not about linearizability (a node
/// that would not restart, an unexpected status).
/// </summary>
public sealed class RunHistory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly ConcurrentQueue<string> _timeline = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private int _nextId;

    /// <summary>The time since the run started, on the clock every operation uses.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Operation> Operations => _operations.ToArray();

    public IReadOnlyList<string> Timeline => _timeline.ToArray();

    public IReadOnlyList<string> Problems => _problems.ToArray();

    public int NextId() => Interlocked.Increment(ref _nextId);

    public void Add(Operation operation) => _operations.Enqueue(operation);

    /// <summary>An event of the run (a fault, a restart), stamped with the time.</summary>
    public string Note(string text)
    {
        var line = $"{Now.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),8} s  {text}";
        _timeline.Enqueue(line);
        return line;
    }

    /// <summary>Something that makes the run fail whatever the checker says.</summary>
    public void Problem(string text)
    {
        _problems.Enqueue(text);
        Note("PROBLEM: " + text);
    }
}
