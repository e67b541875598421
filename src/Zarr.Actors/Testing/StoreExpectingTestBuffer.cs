using Akka.Actor;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Testing;

/// <summary>
/// A store that insists on the caller's buffer type: outside keys containing <c>"json"</c>, values must be
/// <see cref="TestBuffer"/>s and reads must ask for them with a <see cref="TestBuffer"/> prototype. It proves
/// that a pipeline hands the caller's buffer type all the way down to the store and back. Its data lives
/// in an actor under a supervisor; a message that breaks the rule fails at once with
/// <see cref="UnexpectedBufferTypeException"/> and changes nothing. Disposing only closes the store: the
/// actors live as long as the actor system.
/// </summary>
public sealed class StoreExpectingTestBuffer : StoreBase
{
    private readonly StoreRuntime _runtime;

    public StoreExpectingTestBuffer(ActorSystem system, TimeSpan? requestTimeout = null)
        : this(new StoreRuntime(system ?? throw new ArgumentNullException(nameof(system)),
            system.ActorOf(TestBufferSupervisor.Props()), requestTimeout ?? TimeSpan.FromSeconds(10)), readOnly: false)
    {
    }

    private StoreExpectingTestBuffer(StoreRuntime runtime, bool readOnly) : base(readOnly) => _runtime = runtime;

    /// <summary>The supervising actor (for probes and tests that observe its decisions).</summary>
    public IActorRef Supervisor => _runtime.Region;

    public override IStore WithReadOnly(bool readOnly = false) => new StoreExpectingTestBuffer(_runtime, readOnly);

    protected override async Task<ByteBuffer?> GetCoreAsync(string key, BufferPrototype prototype, ByteRequest? byteRange, CancellationToken ct) =>
        (await AskAsync<ByteBuffer?[]>(new ReadTestValues(OperationNames.Get, prototype, [(key, byteRange)]), OperationNames.Get, key, ct).ConfigureAwait(false))[0];

    protected override async Task<IReadOnlyList<ByteBuffer?>> GetPartialValuesCoreAsync(BufferPrototype prototype,
        IReadOnlyList<(string Key, ByteRequest? Range)> requests, CancellationToken ct) =>
        requests.Count == 0
            ? []
            : await AskAsync<ByteBuffer?[]>(new ReadTestValues(OperationNames.GetPartialValues, prototype, requests), OperationNames.GetPartialValues, requests[0].Key, ct).ConfigureAwait(false);

    protected override Task<bool> ExistsCoreAsync(string key, CancellationToken ct) =>
        RunAsync(OperationNames.Exists, key, table => table.ContainsKey(key), ct);

    protected override Task<long> GetSizeCoreAsync(string key, CancellationToken ct) =>
        RunAsync(OperationNames.GetSize, key, table => table.TryGet(key, out var value)
            ? (long)value.Length
            : throw StoreErrors.KeyNotFound(OperationNames.GetSize, key), ct);

    protected override Task<long> GetSizePrefixCoreAsync(string prefix, CancellationToken ct) =>
        RunAsync(OperationNames.GetSizePrefix, prefix, table => table.SizeUnder(prefix), ct);

    protected override Task SetCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        AskAsync<bool>(new StoreTestValue(key, value, OnlyIfAbsent: false), OperationNames.Set, key, ct);

    protected override Task<bool> SetIfNotExistsCoreAsync(string key, ByteBuffer value, CancellationToken ct) =>
        AskAsync<bool>(new StoreTestValue(key, value, OnlyIfAbsent: true), OperationNames.SetIfNotExists, key, ct);

    protected override Task DeleteCoreAsync(string key, CancellationToken ct) =>
        RunAsync(OperationNames.Delete, key, table => table.Remove(key), ct);

    protected override Task DeleteDirCoreAsync(string prefix, CancellationToken ct) =>
        RunAsync(OperationNames.DeleteDir, prefix, table =>
        {
            table.RemoveDirectory(prefix);
            return true;
        }, ct);

    protected override async IAsyncEnumerable<string> ListPrefixCoreAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var key in await RunAsync(OperationNames.ListPrefix, prefix, table => table.KeysStartingWith(prefix).ToArray(), ct).ConfigureAwait(false))
        {
            yield return key;
        }
    }

    protected override async IAsyncEnumerable<string> ListDirCoreAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in await RunAsync(OperationNames.ListDir, prefix, table => table.ChildrenOf(prefix).ToArray(), ct).ConfigureAwait(false))
        {
            yield return name;
        }
    }

    protected override Task<bool> IsEmptyCoreAsync(string prefix, CancellationToken ct) =>
        RunAsync(OperationNames.IsEmpty, prefix, table => table.IsEmptyUnder(prefix), ct);

    private Task<T> RunAsync<T>(string operation, string key, Func<KeyValueTable, T> run, CancellationToken ct) where T : notnull =>
        AskAsync<T>(new RunOnTable(operation, table => run(table)), operation, key, ct);

    private async Task<T> AskAsync<T>(object message, string operation, string key, CancellationToken ct) =>
        (T)await _runtime.AskAsync(message, operation, key, ct).ConfigureAwait(false);
}
