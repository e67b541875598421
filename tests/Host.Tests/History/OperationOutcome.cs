namespace Zarr.Actors.Host.Tests.History;

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
