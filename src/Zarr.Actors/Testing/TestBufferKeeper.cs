using Akka.Actor;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Testing;

/// <summary>
/// Keeps the test-buffer store's data and enforces its rule: outside keys containing <c>"json"</c>,
/// values must be <see cref="TestBuffer"/>s and reads must ask for them. A message that breaks the
/// rule is answered with <see cref="Status.Failure"/> at once, then thrown, so the supervisor decides.
/// </summary>
public sealed class TestBufferKeeper : ReceiveActor
{
    private readonly KeyValueTable _table;

    public TestBufferKeeper(KeyValueTable table)
    {
        _table = table;
        Receive<StoreTestValue>(Handle);
        Receive<ReadTestValues>(Handle);
        Receive<RunOnTable>(Handle);
    }

    public static Props Props(KeyValueTable table) => Akka.Actor.Props.Create(() => new TestBufferKeeper(table));

    /// <summary>Whether values of <paramref name="key"/> must be test buffers (metadata keys are exempt).</summary>
    public static bool IsChecked(string key) => !key.Contains("json", StringComparison.Ordinal);

    private void Handle(StoreTestValue message)
    {
        if (IsChecked(message.Key) && message.Value.GetType() != typeof(TestBuffer))
        {
            Fail(Unexpected(message.Operation, message.Key, "value", message.Value.GetType()));
        }

        Reply(() => message.OnlyIfAbsent
            ? _table.SetIfNotExists(message.Operation, message.Key, message.Value)
            : _table.Set(message.Operation, message.Key, message.Value) || true);
    }

    private void Handle(ReadTestValues message)
    {
        if (message.Prototype.BufferType != typeof(TestBuffer) && message.Requests.FirstOrDefault(r => IsChecked(r.Key)) is { Key: { } offending })
        {
            Fail(Unexpected(message.Operation, offending, "prototype's buffer type", message.Prototype.BufferType));
        }

        var values = new ByteBuffer?[message.Requests.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var (key, range) = message.Requests[i];
            values[i] = _table.TryGet(key, out var value) ? message.Prototype.Convert(ByteRequest.Slice(value, range)) : null;
        }

        Sender.Tell(values);
    }

    private void Handle(RunOnTable message) => Reply(() => message.Run(_table));

    /// <summary>Answers with the result, or with the failure, which is then thrown for the supervisor.</summary>
    private void Reply(Func<object> run)
    {
        object result;
        try
        {
            result = run();
        }
        catch (Exception e) when (e is InvalidKeyException or KeyNotFoundException)
        {
            // Expected refusals: the caller learns, the keeper goes on.
            Sender.Tell(new Status.Failure(e));
            return;
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Sender.Tell(result);
    }

    private void Fail(Exception failure)
    {
        Sender.Tell(new Status.Failure(failure));
        throw failure;
    }

    private static UnexpectedBufferTypeException Unexpected(string operation, string key, string what, Type actual) =>
        new($"{operation} {KeyRules.Quote(key)}: expected a {typeof(TestBuffer).FullName} {what} but got {actual.FullName}");
}
