using System.Diagnostics;
using System.Text;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// Wing and Gong's search for a linearization, with Lowe's memoization of (linearized set, state)
/// configurations, run per key (a register per key is P-compositional, so keys are independent).
/// An indeterminate operation has no completion: it may take effect at any point after its
/// invocation, or never (which is the same as at the very end, where nothing observes it).
/// Four exact prunings keep histories with hundreds of operations per key to milliseconds: a read or
/// a 412 that may go next goes next (it never changes the state, so no other choice can help); an
/// unanswered operation is never placed where it changes nothing; unanswered operations with the
/// same effect are placed in invocation order; and an unanswered write whose value was read took
/// effect before that read returned. A test checks the result against an exhaustive search.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>How many configurations one key may visit before the search gives up (about 40 bytes each).</summary>
    public const int DefaultBudget = 5_000_000;

    public static IReadOnlyList<KeyVerdict> Check(IEnumerable<Operation> history, int budget = DefaultBudget) =>
        history.GroupBy(op => op.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => CheckKey(g.Key, g.ToList(), budget))
            .ToList();

    public static KeyVerdict CheckKey(string key, IReadOnlyList<Operation> operations, int budget = DefaultBudget)
    {
        var clock = Stopwatch.StartNew();
        // A read without an answer tells nothing.
        var ops = operations.Where(op => op.Kind != OperationKind.Read || op.Outcome != OperationOutcome.Indeterminate)
            .OrderBy(op => op.Invoked).ThenBy(op => op.Id).ToArray();
        foreach (var op in ops)
        {
            if (op.Key != key || op.Outcome != OperationOutcome.Indeterminate && (op.Completed is not { } done || done < op.Invoked))
            {
                throw new ArgumentException($"operation {op} does not belong to a history of \"{key}\" (wrong key, or a determinate operation without a completion after its invocation)", nameof(operations));
            }
        }

        ops = Settle(ops);
        var search = new Search(ops, budget);
        var result = search.Run();
        return new KeyVerdict
        {
            Key = key,
            Linearizable = result,
            Operations = ops.Length,
            Indeterminate = operations.Count(op => op.Outcome == OperationOutcome.Indeterminate),
            Configurations = search.Configurations,
            Elapsed = clock.Elapsed,
            Explanation = result switch
            {
                true => null,
                false => search.Explain(key),
                null => $"key \"{key}\": the search gave up after {search.Configurations:N0} configurations of its {ops.Length} operations; nothing is proven either way",
            },
        };
    }

    /// <summary>
    /// An unanswered write whose value a read (or a successful compare-and-set) observed did take effect,
    /// before that observer returned: it becomes an answered write completing then. Exact, since values
    /// are unique, and it keeps the search from carrying it as open-ended to the end of the history.
    /// </summary>
    private static Operation[] Settle(Operation[] ops)
    {
        var seen = new Dictionary<string, (TimeSpan At, int By)>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            var observed = op switch
            {
                { Kind: OperationKind.Read, Outcome: OperationOutcome.Ok, Value: { } value } => value,
                { Kind: OperationKind.CompareAndSet or OperationKind.CompareAndDelete, Outcome: OperationOutcome.Ok, Expected: { } value } => value,
                _ => null,
            };
            if (observed is not null && (!seen.TryGetValue(observed, out var first) || op.Completed < first.At))
            {
                seen[observed] = (op.Completed!.Value, op.Id);
            }
        }

        return ops.Select(op => op is { Outcome: OperationOutcome.Indeterminate, Value: { } written } && op.Kind != OperationKind.Read && seen.TryGetValue(written, out var by) && by.At >= op.Invoked
            ? op with { Outcome = OperationOutcome.Ok, Completed = by.At, Note = $"{op.Note ?? "unanswered"}; took effect: #{by.By} saw its value" }
            : op).ToArray();
    }

    /// <summary>The search over one key's operations: a doubly linked list of call and return entries, in time order.</summary>
    private sealed class Search
    {
        private const int None = -1;

        private readonly Operation[] _ops;
        private readonly RegisterModel _model;
        private readonly RegisterModel.Step[] _steps;
        private readonly int _budget;
        private readonly int[] _twinBefore;
        private readonly ulong[] _zobrist;
        private readonly ulong[] _zobrist2;

        // Entries 0..E-1 are calls and returns; entry E is the head. An entry's op and, for calls, the return entry (None: open-ended).
        private readonly int[] _entryOp;
        private readonly bool[] _entryIsCall;
        private readonly int[] _match;
        private readonly int[] _next;
        private readonly int[] _prev;
        private readonly int _head;

        private readonly HashSet<(ulong, ulong, int)> _seen = [];

        // The deepest point the search reached: what was linearized, the state, and the return that could not be passed.
        private int[] _bestPrefix = [];
        private int _bestState;
        private int _bestBlocked = None;
        private int[] _bestPending = [];

        public Search(Operation[] ops, int budget)
        {
            _ops = ops;
            _budget = budget;
            _model = new RegisterModel(ops);
            _steps = ops.Select(_model.Prepare).ToArray();

            _twinBefore = new int[ops.Length];
            var lastTwin = new Dictionary<(OperationKind, int, int), int>();
            for (var i = 0; i < ops.Length; i++)
            {
                _twinBefore[i] = None;
                if (ops[i].Outcome == OperationOutcome.Indeterminate)
                {
                    var signature = (_steps[i].Kind, _steps[i].Value, _steps[i].Expected);
                    _twinBefore[i] = lastTwin.GetValueOrDefault(signature, None);
                    lastTwin[signature] = i;
                }
            }

            // A configuration is remembered by a 128-bit Zobrist hash of its linearized set, not the set
            // itself: 40 bytes instead of n/8, and a false match among 10^7 configurations has odds ~10^-25.
            var random = new Random(ops.Length);
            _zobrist = ops.Select(_ => NextBits(random)).ToArray();
            _zobrist2 = ops.Select(_ => NextBits(random)).ToArray();

            var entries = new List<(TimeSpan Time, bool IsCall, int Op)>();
            for (var i = 0; i < ops.Length; i++)
            {
                entries.Add((ops[i].Invoked, true, i));
                if (ops[i].Completed is { } done)
                {
                    entries.Add((done, false, i));
                }
            }

            // At equal times a call comes first: the two operations are taken as concurrent.
            entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1) : a.Op.CompareTo(b.Op));
            var count = entries.Count;
            _head = count;
            _entryOp = new int[count + 1];
            _entryIsCall = new bool[count + 1];
            _match = new int[count + 1];
            _next = new int[count + 1];
            _prev = new int[count + 1];
            var returnOf = new int[ops.Length];
            Array.Fill(returnOf, None);
            for (var e = 0; e < count; e++)
            {
                (_, _entryIsCall[e], _entryOp[e]) = entries[e];
                if (!_entryIsCall[e])
                {
                    returnOf[_entryOp[e]] = e;
                }
            }

            for (var e = 0; e < count; e++)
            {
                _match[e] = _entryIsCall[e] ? returnOf[_entryOp[e]] : None;
                _next[e] = e + 1 < count ? e + 1 : None;
                _prev[e] = e == 0 ? _head : e - 1;
            }

            _next[_head] = count > 0 ? 0 : None;
            _prev[_head] = None;
        }

        public int Configurations => _seen.Count;

        public bool? Run()
        {
            var linearized = new ulong[(_ops.Length + 63) / 64];
            ulong hash = 0, hash2 = 0;
            var state = RegisterModel.Absent;
            var remaining = _ops.Count(op => op.Outcome != OperationOutcome.Indeterminate);
            var calls = new Stack<(int Entry, int State, bool Forced)>();
            var entry = _next[_head];
            while (remaining > 0)
            {
                if (entry == None)
                {
                    // Only open-ended calls were left to try and none led anywhere new: backtrack.
                    if (!Backtrack(ref entry))
                    {
                        return false;
                    }

                    continue;
                }

                var op = _entryOp[entry];
                if (!_entryIsCall[entry])
                {
                    // A return: its operation had to take effect by now, and nothing pending can go first any more.
                    Remember(calls.Count, calls.Select(c => _entryOp[c.Entry]), state, entry);
                    if (!Backtrack(ref entry))
                    {
                        return false;
                    }

                    continue;
                }

                var twin = _twinBefore[op];
                var answered = _ops[op].Outcome != OperationOutcome.Indeterminate;
                // An unanswered operation that would change nothing here is left for later, or never.
                if ((twin != None && !IsSet(linearized, twin)) || !RegisterModel.Apply(_steps[op], state, out var next) || next == state && !answered)
                {
                    entry = _next[entry];
                    continue;
                }

                // An answered operation that never changes the state (a read, a 412) can always go first once
                // it may: moved there from any linearization, it leaves the rest as it was. So if nothing
                // follows it, nothing follows without it either, and there is nothing else to try here.
                var forced = answered && (_steps[op].Kind == OperationKind.Read || _steps[op].Outcome == OperationOutcome.PreconditionFailed);
                if (!_seen.Add((hash ^ _zobrist[op], hash2 ^ _zobrist2[op], next)))
                {
                    if (forced && !Backtrack(ref entry))
                    {
                        return false;
                    }

                    entry = forced ? entry : _next[entry];
                    continue;
                }

                Set(linearized, op);
                hash ^= _zobrist[op];
                hash2 ^= _zobrist2[op];
                if (_seen.Count > _budget)
                {
                    return null;
                }

                calls.Push((entry, state, forced));
                state = next;
                Lift(entry);
                if (answered)
                {
                    remaining--;
                }

                entry = _next[_head];
            }

            return true;

            // Undoes the last choice that was free (popping forced ones on the way) and moves past it.
            bool Backtrack(ref int at)
            {
                bool forced;
                int call;
                do
                {
                    if (calls.Count == 0)
                    {
                        return false;
                    }

                    (call, var before, forced) = calls.Pop();
                    var undone = _entryOp[call];
                    state = before;
                    Clear(linearized, undone);
                    hash ^= _zobrist[undone];
                    hash2 ^= _zobrist2[undone];
                    Unlift(call);
                    if (_ops[undone].Outcome != OperationOutcome.Indeterminate)
                    {
                        remaining++;
                    }
                }
                while (forced);

                at = _next[call];
                return true;
            }
        }

        public string Explain(string key)
        {
            var text = new StringBuilder();
            var open = _ops.Count(op => op.Outcome == OperationOutcome.Indeterminate);
            text.AppendLine($"key \"{key}\": no linearization of its {_ops.Length} operations ({open} unanswered, open-ended) exists.");
            text.AppendLine($"The longest linearizable prefix has {_bestPrefix.Length} operations; it ends with:");
            foreach (var op in _bestPrefix.Skip(Math.Max(0, _bestPrefix.Length - 6)))
            {
                text.AppendLine($"    {_ops[op]}");
            }

            // The search knows values nobody read only as a class; replaying the prefix names the value.
            var value = _bestPrefix.Aggregate((string?)null, (current, op) => After(_ops[op], current));
            text.AppendLine($"leaving the key {Describe(value)}.");
            if (_bestBlocked != None)
            {
                text.AppendLine($"Then {_ops[_bestBlocked]} had to take effect before it returned, and neither it nor any operation invoked before that could go next:");
                foreach (var op in _bestPending.Take(10))
                {
                    var why = RegisterModel.Apply(_steps[op], _bestState, out _)
                        ? $"possible (leaving {Describe(After(_ops[op], value))}), but no linearization of the rest follows"
                        : $"impossible while the key is {Describe(value)}";
                    text.AppendLine($"    {_ops[op]}: {why}");
                }

                if (_bestPending.Length > 10)
                {
                    text.AppendLine($"    ... and {_bestPending.Length - 10} more");
                }
            }

            return text.ToString().TrimEnd();

            static string Describe(string? v) => v is null ? "absent" : $"\"{v}\"";
        }

        /// <summary>The key's value after <paramref name="op"/> took effect on <paramref name="value"/>.</summary>
        private static string? After(Operation op, string? value) => op.Kind switch
        {
            OperationKind.Write => op.Value,
            OperationKind.Delete => null,
            OperationKind.SetIfAbsent => value is null ? op.Value : value,
            OperationKind.CompareAndSet => value == op.Expected ? op.Value : value,
            OperationKind.CompareAndDelete => value == op.Expected ? null : value,
            _ => value,
        };

        private void Remember(int depth, IEnumerable<int> stack, int state, int blockedReturn)
        {
            if (depth < _bestPrefix.Length || _bestBlocked != None && depth == _bestPrefix.Length)
            {
                return;
            }

            _bestPrefix = stack.Reverse().ToArray();
            _bestState = state;
            _bestBlocked = _entryOp[blockedReturn];
            var pending = new List<int>();
            for (var e = _next[_head]; e != None && e != blockedReturn; e = _next[e])
            {
                if (_entryIsCall[e])
                {
                    pending.Add(_entryOp[e]);
                }
            }

            // The blocked operation first, then the others by invocation.
            _bestPending = pending.OrderBy(op => op == _bestBlocked ? 0 : 1).ThenBy(op => op).ToArray();
        }

        private void Lift(int call)
        {
            _next[_prev[call]] = _next[call];
            if (_next[call] != None)
            {
                _prev[_next[call]] = _prev[call];
            }

            var ret = _match[call];
            if (ret != None)
            {
                _next[_prev[ret]] = _next[ret];
                if (_next[ret] != None)
                {
                    _prev[_next[ret]] = _prev[ret];
                }
            }
        }

        private void Unlift(int call)
        {
            var ret = _match[call];
            if (ret != None)
            {
                _next[_prev[ret]] = ret;
                if (_next[ret] != None)
                {
                    _prev[_next[ret]] = ret;
                }
            }

            _next[_prev[call]] = call;
            if (_next[call] != None)
            {
                _prev[_next[call]] = call;
            }
        }

        private static ulong NextBits(Random random) => ((ulong)random.NextInt64() << 1) ^ (ulong)random.Next();

        private static bool IsSet(ulong[] bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;

        private static void Set(ulong[] bits, int i) => bits[i >> 6] |= 1UL << (i & 63);

        private static void Clear(ulong[] bits, int i) => bits[i >> 6] &= ~(1UL << (i & 63));
    }
}
