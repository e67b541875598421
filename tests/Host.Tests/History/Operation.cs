using System.Globalization;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// One operation of a history, on one key. Values are unique per write (client and counter), so a
/// value names the write that stored it and an ETag names a value, whatever the tag scheme.
/// </summary>
public sealed record Operation
{
    public required int Id { get; init; }

    public required int Client { get; init; }

    public required string Key { get; init; }

    public required OperationKind Kind { get; init; }

    public required OperationOutcome Outcome { get; init; }

    /// <summary>The value written, or for a read the value found (null: absent).</summary>
    public string? Value { get; init; }

    /// <summary>For compare-and-set and compare-and-delete: the value that carried the <c>If-Match</c> tag when it was read.</summary>
    public string? Expected { get; init; }

    /// <summary>For a determinate plain write: true when answered 201 (the key was absent), false for 204.</summary>
    public bool? Created { get; init; }

    /// <summary>When the request was sent, from the start of the history.</summary>
    public required TimeSpan Invoked { get; init; }

    /// <summary>When its answer arrived; null for an indeterminate operation (open-ended).</summary>
    public TimeSpan? Completed { get; init; }

    /// <summary>Which node took the request (for explanations).</summary>
    public string? Node { get; init; }

    /// <summary>Why an indeterminate operation is indeterminate, or any other note (for explanations).</summary>
    public string? Note { get; init; }

    public override string ToString()
    {
        var what = Kind switch
        {
            OperationKind.Read => "read",
            OperationKind.Write => $"write {Quote(Value)}",
            OperationKind.CompareAndSet => $"cas {Quote(Expected)} -> {Quote(Value)}",
            OperationKind.SetIfAbsent => $"set-if-absent {Quote(Value)}",
            OperationKind.Delete => "delete",
            _ => $"delete-if {Quote(Expected)}",
        };
        var result = Outcome switch
        {
            OperationOutcome.Indeterminate => "?",
            OperationOutcome.PreconditionFailed => "412",
            _ when Kind == OperationKind.Read => Value is null ? "absent" : Quote(Value),
            _ when Kind == OperationKind.Write && Created is { } created => created ? "201 created" : "204 replaced",
            _ => "ok",
        };
        var end = Completed is { } done ? Seconds(done) : "never";
        var where = Node is null ? string.Empty : $" via {Node}";
        var note = Note is null ? string.Empty : $" ({Note})";
        return $"#{Id} client {Client} {what} => {result}{note} [{Seconds(Invoked)}..{end} s{where}]";
    }

    private static string Quote(string? value) => value is null ? "absent" : $"\"{value}\"";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
