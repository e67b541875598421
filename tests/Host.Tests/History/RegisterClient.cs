using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Zarr.Actors.Host.Tests.History;

/// <summary>
/// One client of the history test: reads, writes, compare-and-sets, set-if-absents and deletes on
/// random keys through random serving nodes, over plain HTTP, recording each operation. Every value
/// it writes is unique ("c{client}-{n}"); it remembers the tag and value it last saw per key for
/// its compare-and-sets, as a Zarr client doing read-modify-write would.
/// </summary>
public sealed class RegisterClient(int id, HostCluster cluster, RunHistory history, HistorySettings settings)
{
    private readonly Random _random = new(settings.RandomSeed + id);
    private readonly Dictionary<string, (string Tag, string Value)> _seen = new(StringComparer.Ordinal);
    private int _written;

    /// <summary>Runs operations until <paramref name="stop"/>; an operation under way when it fires still finishes.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var keys = settings.Keys;
        while (!stop.IsCancellationRequested)
        {
            if (cluster.PickServing(_random) is not { } node)
            {
                await Pause(TimeSpan.FromMilliseconds(50), stop);
                continue;
            }

            var key = keys[_random.Next(keys.Count)];
            var seen = _seen.GetValueOrDefault(key);
            var kind = _random.NextDouble() switch
            {
                < 0.35 => OperationKind.Read,
                < 0.55 => OperationKind.Write,
                < 0.75 => OperationKind.CompareAndSet,
                < 0.85 => OperationKind.SetIfAbsent,
                < 0.925 => OperationKind.Delete,
                _ => OperationKind.CompareAndDelete,
            };
            if (kind is OperationKind.CompareAndSet or OperationKind.CompareAndDelete && seen.Tag is null)
            {
                // Nothing to compare with yet: read first, as a read-modify-write client does.
                kind = OperationKind.Read;
            }

            await ExecuteAsync(node, key, kind);
            await Pause(TimeSpan.FromMilliseconds(_random.NextDouble() * 2 * settings.Think.TotalMilliseconds), stop);
        }
    }

    /// <summary>Performs one operation through <paramref name="node"/> and records it.</summary>
    public async Task<Operation> ExecuteAsync(ClusterNode node, string key, OperationKind kind)
    {
        var value = kind is OperationKind.Write or OperationKind.CompareAndSet or OperationKind.SetIfAbsent ? $"c{id}-{++_written}" : null;
        var expected = kind is OperationKind.CompareAndSet or OperationKind.CompareAndDelete ? _seen[key] : default;
        using var request = new HttpRequestMessage(kind switch
        {
            OperationKind.Read => HttpMethod.Get,
            OperationKind.Delete or OperationKind.CompareAndDelete => HttpMethod.Delete,
            _ => HttpMethod.Put,
        }, "/" + key);
        if (value is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        }

        if (expected.Tag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", expected.Tag);
        }

        if (kind == OperationKind.SetIfAbsent)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }

        var invoked = history.Now;
        var op = new Operation
        {
            Id = history.NextId(),
            Client = id,
            Key = key,
            Kind = kind,
            Outcome = OperationOutcome.Indeterminate,
            Value = value,
            Expected = expected.Value,
            Invoked = invoked,
            Node = node.Name,
        };
        using var timeout = new CancellationTokenSource(settings.RequestTimeout);
        try
        {
            using var response = await node.Client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            op = Classify(op, response, body) with { Completed = history.Now };
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            op = op with { Note = e is OperationCanceledException ? "timeout" : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}" };
        }

        if (op.Outcome == OperationOutcome.Indeterminate)
        {
            op = op with { Completed = null };
        }

        Remember(op, key);
        history.Add(op);
        return op;
    }

    private Operation Classify(Operation op, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var tag = response.Headers.ETag?.Tag;
        switch (op.Kind, status)
        {
            case (OperationKind.Read, 200) when tag is not null:
                _seen[op.Key] = (tag, body);
                return op with { Outcome = OperationOutcome.Ok, Value = body };
            case (OperationKind.Read, 404):
                return op with { Outcome = OperationOutcome.Ok, Value = null };
            case (OperationKind.Write or OperationKind.CompareAndSet or OperationKind.SetIfAbsent, 201 or 204) when tag is not null:
                _seen[op.Key] = (tag, op.Value!);
                return op with { Outcome = OperationOutcome.Ok, Created = op.Kind == OperationKind.Write ? status == 201 : null };
            case (OperationKind.Delete or OperationKind.CompareAndDelete, 204):
                return op with { Outcome = OperationOutcome.Ok };
            case (OperationKind.CompareAndSet or OperationKind.SetIfAbsent or OperationKind.CompareAndDelete, 412):
                return op with { Outcome = OperationOutcome.PreconditionFailed };
            case (_, 503):
                return op with { Note = "503" };
            default:
                // Not an answer the contract allows: the run fails, and the operation counts as unanswered.
                history.Problem($"unexpected answer {status} to {op}: {body[..Math.Min(body.Length, 200)]}");
                return op with { Note = $"unexpected {status}" };
        }
    }

    /// <summary>After anything but a success that told the tag, this client no longer knows the key's tag.</summary>
    private void Remember(Operation op, string key)
    {
        if (op.Outcome != OperationOutcome.Ok || op.Kind is OperationKind.Delete or OperationKind.CompareAndDelete || op is { Kind: OperationKind.Read, Value: null })
        {
            _seen.Remove(key);
        }
    }

    private static async Task Pause(TimeSpan length, CancellationToken stop)
    {
        try
        {
            await Task.Delay(length, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
