namespace Zarr.Actors;

/// <summary>
/// The contract's failures, worded once: every store, the owners, the facade and the gateway build
/// their exceptions here, so a message names the operation and the key the same way everywhere.
/// </summary>
public static class StoreErrors
{
    /// <summary>The start of every read-only refusal, as the contract gives it.</summary>
    public const string ReadOnlyMessageStart = "store was opened in read-only mode and does not support writing";

    /// <summary>A write on a read-only store.</summary>
    public static ReadOnlyStoreException ReadOnly(string operation, string key) =>
        new($"{ReadOnlyMessageStart} ({operation} {KeyRules.Quote(key ?? string.Empty)})");

    /// <summary>The size of a missing key.</summary>
    public static KeyNotFoundException KeyNotFound(string operation, string key) =>
        new($"{operation}: key {KeyRules.Quote(key)} not found");

    /// <summary>A key or prefix that breaks <paramref name="rule"/>.</summary>
    public static InvalidKeyException InvalidKey(string operation, string key, string rule) =>
        new($"{operation}: invalid key {KeyRules.Quote(key)}: {rule}");

    /// <summary>A write of a name that is a directory holding other keys.</summary>
    public static InvalidKeyException KeyIsDirectory(string operation, string key) =>
        InvalidKey(operation, key, "it is a directory holding other keys, and a key is never also a directory");

    /// <summary>A write under <paramref name="ancestor"/>, which is a key.</summary>
    public static InvalidKeyException AncestorIsKey(string operation, string key, string ancestor) =>
        InvalidKey(operation, key, $"{KeyRules.Quote(ancestor)} is a key, and a key is never also a directory");

    /// <summary>The actor system behind the store has terminated.</summary>
    public static StoreUnavailableException ShutDown(string operation, string key, Exception? cause = null) =>
        new($"{operation} {KeyRules.Quote(key)}: the store's actor system has shut down", cause);

    /// <summary>A call on a node that is not (yet) a cluster member: nothing could answer it.</summary>
    public static StoreUnavailableException NotJoined(string operation, string key, string node) =>
        new($"{operation} {KeyRules.Quote(key)}: this node ({node}) has not joined a cluster yet; join one " +
            "(Cluster.Join, or seed nodes) before using the store");

    /// <summary>No answer within the request timeout.</summary>
    public static StoreUnavailableException NoAnswer(string operation, string key, TimeSpan timeout, Exception? cause = null) =>
        new($"{operation} {KeyRules.Quote(key)}: no answer from the store within {timeout.TotalSeconds:0.#} s", cause);
}
