using Zarr.Buffers;

namespace Zarr.Actors.Testing;

/// <summary>Store a value (only when absent, if <see cref="OnlyIfAbsent"/>). Reply: <see cref="bool"/>, whether it wrote.</summary>
public sealed record StoreTestValue(string Key, ByteBuffer Value, bool OnlyIfAbsent)
{
    public string Operation => OnlyIfAbsent ? OperationNames.SetIfNotExists : OperationNames.Set;
}

/// <summary>Read values as <see cref="Prototype"/>'s buffer type. Reply: one <see cref="ByteBuffer"/> or null per request.</summary>
public sealed record ReadTestValues(string Operation, BufferPrototype Prototype, IReadOnlyList<(string Key, ByteRequest? Range)> Requests);

/// <summary>Any other operation on the table (listing, sizes, deletes). Reply: what <see cref="Run"/> returns.</summary>
public sealed record RunOnTable(string Operation, Func<KeyValueTable, object> Run);

/// <summary>Ask the supervisor what it decided so far. Reply: <see cref="SupervisionLog"/>.</summary>
public sealed class GetSupervisionLog
{
    public static GetSupervisionLog Instance { get; } = new();

    private GetSupervisionLog()
    {
    }
}

/// <summary>How often the supervisor resumed and restarted the keeper of the data.</summary>
public sealed record SupervisionLog(int Resumes, int Restarts);
