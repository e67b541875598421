namespace Zarr.Actors.Host.Tests.History;

/// <summary>Writes histories of one key by hand for the checker's tests: times in milliseconds, null for no completion.</summary>
internal sealed class HistoryBuilder(string key = "g/k")
{
    private readonly List<Operation> _ops = [];

    public IReadOnlyList<Operation> Operations => _ops;

    public HistoryBuilder Read(int client, double from, double? to, string? value) =>
        Add(client, OperationKind.Read, from, to, OperationOutcome.Ok, value);

    public HistoryBuilder Write(int client, double from, double? to, string value, bool? created = null) =>
        Add(client, OperationKind.Write, from, to, OperationOutcome.Ok, value, created: created);

    public HistoryBuilder CompareAndSet(int client, double from, double? to, string expected, string value, bool succeeded = true) =>
        Add(client, OperationKind.CompareAndSet, from, to, succeeded ? OperationOutcome.Ok : OperationOutcome.PreconditionFailed, value, expected);

    public HistoryBuilder SetIfAbsent(int client, double from, double? to, string value, bool succeeded = true) =>
        Add(client, OperationKind.SetIfAbsent, from, to, succeeded ? OperationOutcome.Ok : OperationOutcome.PreconditionFailed, value);

    public HistoryBuilder Delete(int client, double from, double? to) =>
        Add(client, OperationKind.Delete, from, to, OperationOutcome.Ok, null);

    public HistoryBuilder CompareAndDelete(int client, double from, double? to, string expected, bool succeeded = true) =>
        Add(client, OperationKind.CompareAndDelete, from, to, succeeded ? OperationOutcome.Ok : OperationOutcome.PreconditionFailed, null, expected);

    public KeyVerdict Check() => LinearizabilityChecker.CheckKey(key, _ops);

    private HistoryBuilder Add(int client, OperationKind kind, double from, double? to, OperationOutcome outcome, string? value,
        string? expected = null, bool? created = null)
    {
        _ops.Add(new Operation
        {
            Id = _ops.Count,
            Client = client,
            Key = key,
            Kind = kind,
            // No completion: the client never learned what happened.
            Outcome = to is null ? OperationOutcome.Indeterminate : outcome,
            Value = value,
            Expected = expected,
            Created = to is null ? null : created,
            Invoked = TimeSpan.FromMilliseconds(from),
            Completed = to is { } done ? TimeSpan.FromMilliseconds(done) : null,
            Note = to is null ? "timeout" : null,
        });
        return this;
    }
}
