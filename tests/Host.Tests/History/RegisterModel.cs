namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// The sequential specification of one key: a register holding a value or nothing. Values are
/// numbered for the search; every written value that no read and no If-Match ever observed is one
/// state, <see cref="Unobserved"/>, because nothing in the history can tell such values apart.
/// </summary>
internal sealed class RegisterModel
{
    public const int Absent = 0;
    public const int Unobserved = 1;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = ["absent", "(a value nobody read)"];

    public RegisterModel(IEnumerable<Operation> operations)
    {
        foreach (var op in operations)
        {
            if (op.Kind == OperationKind.Read && op.Outcome == OperationOutcome.Ok && op.Value is { } read)
            {
                Observe(read);
            }

            if (op.Expected is { } expected)
            {
                Observe(expected);
            }
        }
    }

    public int StateOf(string? value) => value is null ? Absent : _ids.GetValueOrDefault(value, Unobserved);

    public string Describe(int state) => state <= Unobserved ? _names[state] : $"\"{_names[state]}\"";

    /// <summary>The operation, prepared for the search: its values as states.</summary>
    public Step Prepare(Operation op) => new(op.Kind, op.Outcome, StateOf(op.Value), op.Expected is null ? -1 : StateOf(op.Expected), op.Created);

    /// <summary>Whether <paramref name="step"/> can take effect in <paramref name="state"/> with the result it had, and the state after it.</summary>
    public static bool Apply(in Step step, int state, out int next)
    {
        next = state;
        bool holds;
        int after;
        switch (step.Kind)
        {
            case OperationKind.Read:
                return state == step.Value;
            case OperationKind.Write:
                next = step.Value;
                return step.Outcome == OperationOutcome.Indeterminate || step.Created is not { } created || created == (state == Absent);
            case OperationKind.Delete:
                next = Absent;
                return step.Outcome != OperationOutcome.PreconditionFailed;
            case OperationKind.SetIfAbsent:
                (holds, after) = (state == Absent, step.Value);
                break;
            case OperationKind.CompareAndSet:
                (holds, after) = (state == step.Expected, step.Value);
                break;
            case OperationKind.CompareAndDelete:
                (holds, after) = (state == step.Expected, Absent);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "unknown operation kind");
        }

        // A conditional write: answered 2xx only where its condition held, 412 only where it did not;
        // an unanswered one did whatever its condition allowed at the point it took effect.
        if (holds && step.Outcome != OperationOutcome.PreconditionFailed)
        {
            next = after;
            return true;
        }

        return !holds && step.Outcome != OperationOutcome.Ok;
    }

    private void Observe(string value)
    {
        if (!_ids.ContainsKey(value))
        {
            _ids[value] = _names.Count;
            _names.Add(value);
        }
    }

    /// <summary>An operation as the search sees it: kind, outcome, and values as states (-1: none).</summary>
    public readonly record struct Step(OperationKind Kind, OperationOutcome Outcome, int Value, int Expected, bool? Created);
}
