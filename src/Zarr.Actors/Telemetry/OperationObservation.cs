using System.Diagnostics;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Telemetry;

/// <summary>
/// One store call being observed: its activity (only when someone listens), its start time (only when
/// the duration is recorded), and, once it ends, its outcome, bytes and duration. A struct, so a call
/// nobody observes allocates nothing for it.
/// </summary>
internal readonly struct OperationObservation
{
    public const string Ok = "ok";
    public const string Absent = "absent";
    public const string PreconditionFailed = "precondition_failed";
    public const string Invalid = "invalid";
    public const string Unavailable = "unavailable";
    public const string Cancelled = "cancelled";
    public const string Error = "error";

    private readonly string _operation;
    private readonly long _started;
    private readonly Activity? _activity;

    public OperationObservation(string operation, string key)
    {
        _operation = operation;
        _activity = StoreTelemetry.ActivitySource.StartActivity(operation);
        if (_activity is not null)
        {
            _activity.SetTag("zarr_actors.operation", operation);
            _activity.SetTag("zarr_actors.key", key);
        }

        _started = StoreTelemetry.Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    /// <summary>The owner answered <paramref name="reply"/> (not a failure) to <paramref name="request"/>.</summary>
    public void Answered(object request, object reply)
    {
        if (!StoreTelemetry.AnyListener && _activity is null)
        {
            return; // nobody listens: the call costs nothing more
        }

        var outcome = reply switch
        {
            ValueAbsent => Absent,
            ValueExistence { Exists: false } => Absent,
            WriteResult { Outcome: WriteOutcome.Absent } => Absent,
            WriteResult { Outcome: WriteOutcome.PreconditionFailed } => PreconditionFailed,
            _ => Ok,
        };

        if (outcome == Ok && request is IValueMessage written && StoreTelemetry.BytesWritten.Enabled)
        {
            StoreTelemetry.BytesWritten.Add(written.ValueBytes, new KeyValuePair<string, object?>("operation", _operation));
        }

        if (StoreTelemetry.BytesRead.Enabled && reply switch { ByteBuffer value => value.Length, IValueMessage values => values.ValueBytes, _ => 0 } is > 0 and var read)
        {
            StoreTelemetry.BytesRead.Add(read, new KeyValuePair<string, object?>("operation", _operation));
        }

        if (outcome == PreconditionFailed && StoreTelemetry.Conflicts.Enabled)
        {
            StoreTelemetry.Conflicts.Add(1, new KeyValuePair<string, object?>("operation", _operation));
        }

        Finish(outcome, null);
    }

    /// <summary>The call failed with <paramref name="error"/>.</summary>
    public void Failed(Exception error) => Finish(OutcomeOf(error), error);

    public static string OutcomeOf(Exception error) => error switch
    {
        KeyNotFoundException => Absent,
        ArgumentException or ReadOnlyStoreException => Invalid,
        StoreUnavailableException => Unavailable,
        OperationCanceledException => Cancelled,
        _ => Error,
    };

    private void Finish(string outcome, Exception? error)
    {
        if (!StoreTelemetry.Operations.Enabled && _started == 0 && _activity is null)
        {
            return;
        }

        var tags = new TagList { { "operation", _operation }, { "outcome", outcome } };
        if (StoreTelemetry.Operations.Enabled)
        {
            StoreTelemetry.Operations.Add(1, tags);
        }

        if (_started != 0)
        {
            StoreTelemetry.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }

        if (_activity is not null)
        {
            _activity.SetTag("zarr_actors.outcome", outcome);
            if (error is not null && outcome is Error or Unavailable)
            {
                _activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }

            _activity.Dispose();
        }
    }
}
