namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// Histories of a real register under concurrent clients, for testing the checker at scale: every
/// operation takes effect at a random point inside its interval (an unanswered one at such a point,
/// or never), so the history is linearizable by construction.
/// </summary>
internal static class SimulatedHistory
{
    /// <param name="loseWrite">When set, the first acknowledged write at or after this position (in effect order) that a read follows at once is acknowledged but never applied.</param>
    public static IReadOnlyList<Operation> Generate(int seed, int count, int clients, int? loseWrite = null, double unanswered = 0.05)
    {
        var random = new Random(seed);
        var planned = new List<Planned>();
        var clock = new double[clients];
        for (var i = 0; i < count; i++)
        {
            var client = random.Next(clients);
            var from = clock[client] + random.NextDouble() * 5;
            var to = from + 1 + random.NextDouble() * 30;
            var at = from + random.NextDouble() * (to - from);
            clock[client] = to;
            var kind = random.NextDouble() switch
            {
                < 0.4 => OperationKind.Read,
                < 0.6 => OperationKind.Write,
                < 0.8 => OperationKind.CompareAndSet,
                < 0.9 => OperationKind.SetIfAbsent,
                < 0.95 => OperationKind.Delete,
                _ => OperationKind.CompareAndDelete,
            };
            var answered = random.NextDouble() >= unanswered;
            var happens = answered || random.NextDouble() < 0.5;
            planned.Add(new Planned(client, kind, from, to, at, answered, happens));
        }

        string? register = null;
        var known = new Dictionary<int, string?>();
        var counters = new int[clients];
        var ops = new List<Operation>();
        var lost = false;
        var ordered = planned.OrderBy(p => p.At).ToList();
        for (var position = 0; position < ordered.Count; position++)
        {
            var p = ordered[position];
            var kind = p.Kind is OperationKind.CompareAndSet or OperationKind.CompareAndDelete && known.GetValueOrDefault(p.Client) is null
                ? OperationKind.Read
                : p.Kind;
            var value = kind is OperationKind.Write or OperationKind.CompareAndSet or OperationKind.SetIfAbsent
                ? $"c{p.Client}-{++counters[p.Client]}"
                : null;
            var expected = kind is OperationKind.CompareAndSet or OperationKind.CompareAndDelete ? known[p.Client] : null;
            var before = register;
            var succeeded = kind switch
            {
                OperationKind.SetIfAbsent => register is null,
                OperationKind.CompareAndSet or OperationKind.CompareAndDelete => register == expected,
                _ => true,
            };
            var lose = !lost && loseWrite is { } from && position >= from && kind == OperationKind.Write && p.Answered
                       && position + 1 < ordered.Count && ordered[position + 1].Kind == OperationKind.Read && ordered[position + 1].From > p.To;
            lost |= lose;
            if (p.Happens && succeeded && !lose)
            {
                register = kind switch
                {
                    OperationKind.Read => register,
                    OperationKind.Delete or OperationKind.CompareAndDelete => null,
                    _ => value,
                };
            }

            if (p.Answered)
            {
                known[p.Client] = kind switch
                {
                    OperationKind.Read => register,
                    OperationKind.Delete => null,
                    _ when succeeded => kind == OperationKind.CompareAndDelete ? null : value,
                    _ => known.GetValueOrDefault(p.Client),
                };
            }

            ops.Add(new Operation
            {
                Id = ops.Count,
                Client = p.Client,
                Key = "sim/k",
                Kind = kind,
                Outcome = !p.Answered ? OperationOutcome.Indeterminate : succeeded ? OperationOutcome.Ok : OperationOutcome.PreconditionFailed,
                Value = kind == OperationKind.Read ? register : value,
                Expected = expected,
                Created = kind == OperationKind.Write && p.Answered ? before is null : null,
                Invoked = TimeSpan.FromMilliseconds(p.From),
                Completed = p.Answered ? TimeSpan.FromMilliseconds(p.To) : null,
            });
        }

        return ops;
    }

    private sealed record Planned(int Client, OperationKind Kind, double From, double To, double At, bool Answered, bool Happens);
}
