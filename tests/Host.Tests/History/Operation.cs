using System.Globalization;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>What a client asked of one key.</summary>
public enum OperationKind
{
    /// <summary>GET: the value, or absent (404).</summary>
    Read,

    /// <summary>PUT: 201 when the key was absent, 204 when it replaced a value.</summary>
    Write,

    /// <summary>PUT with <c>If-Match</c>: 2xx when the value was the expected one, else 412.</summary>
    CompareAndSet,

    /// <summary>PUT with <c>If-None-Match: *</c>: 201 when the key was absent, else 412.</summary>
    SetIfAbsent,

    /// <summary>DELETE: 204, whether or not the key existed.</summary>
    Delete,

    /// <summary>DELETE with <c>If-Match</c>: 204 when the value was the expected one, else 412.</summary>
    CompareAndDelete,
}

/// <summary>How an operation ended, as far as its client could tell.</summary>
public enum OperationOutcome
{
    /// <summary>Answered with success (a read that found nothing is a success returning absent).</summary>
    Ok,

    /// <summary>Answered 412: the condition did not hold and nothing changed.</summary>
    PreconditionFailed,

    /// <summary>No answer that says what happened (timeout, lost connection, 5xx): it may take effect at any time after its invocation, or never.</summary>
    Indeterminate,
}

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
