namespace Zarr.Actors;

/// <summary>
/// The names operations go by in error messages and metrics: zarr-python's method names, so a
/// message reads the same whichever store or layer refused the call.
/// </summary>
public static class OperationNames
{
    public const string Get = "get";
    public const string GetPartialValues = "get_partial_values";
    public const string Exists = "exists";
    public const string GetSize = "getsize";
    public const string GetSizePrefix = "getsize_prefix";
    public const string Set = "set";
    public const string SetIfNotExists = "set_if_not_exists";
    public const string Delete = "delete";
    public const string DeleteDir = "delete_dir";
    public const string Clear = "clear";
    public const string ListPrefix = "list_prefix";
    public const string ListDir = "list_dir";
    public const string IsEmpty = "is_empty";

    /// <summary>Merging inner chunks into a shard (<c>IShardStore.MergeShardAsync</c>; no zarr-python counterpart).</summary>
    public const string MergeShard = "merge_shard";

    /// <summary>The write a condition makes: <c>set_if_not_exists</c> for <see cref="WriteCondition.IfAbsent"/>, else <c>set</c>.</summary>
    public static string OfWrite(WriteCondition condition) => condition == WriteCondition.IfAbsent ? SetIfNotExists : Set;
}
