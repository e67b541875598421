using Akka.Actor;
using Akka.Serialization;
using Hyperion;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Serialization;

/// <summary>
/// Hyperion for the protocol's small messages, reading back only the protocol's own types (and the
/// framework types they are made of): a peer cannot make a node materialize anything else.
/// Registered under the name <c>zarr-protocol</c> in <c>hocon/zarr-actors.conf</c>, with an id of its own,
/// so an application's own Hyperion serializer (id -5) can live beside it.
/// </summary>
public sealed class ProtocolSerializer : HyperionSerializer
{
    public ProtocolSerializer(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetConfig("akka.actor.serialization-settings.zarr-protocol"))
    {
    }

    /// <summary>The constructor Akka uses when the serializer has a settings section.</summary>
    public ProtocolSerializer(ExtendedActorSystem system, Akka.Configuration.Config config)
        : base(system, HyperionSerializerSettings.Create(config).WithTypeFilter(ProtocolTypeFilter.Instance))
    {
    }

    public override int Identifier => 4_181_200;
}

/// <summary>
/// The allow-list. Hyperion asks with assembly-qualified names, sometimes with a version, so names
/// are compared without one. HOCON's <c>allowed-types</c> compares whole names and so refuses the
/// versioned form, which is why the filter lives in code.
/// </summary>
internal sealed class ProtocolTypeFilter : ITypeFilter
{
    public static ProtocolTypeFilter Instance { get; } = new();

    private readonly HashSet<string> _allowed;

    private ProtocolTypeFilter()
    {
        var assembly = typeof(IProtocolMessage).Assembly;
        var own = assembly.GetTypes().Where(type =>
            typeof(IProtocolMessage).IsAssignableFrom(type) ||
            typeof(WriteCondition).IsAssignableFrom(type) ||
            typeof(ByteRequest).IsAssignableFrom(type) ||
            type == typeof(WriteOutcome) ||
            type == typeof(Shards.ShardLayout) ||
            type == typeof(Shards.ShardIndexLocation));
        _allowed = own.Concat([typeof(ByteRequest[]), typeof(string[]), typeof(int[]), typeof(long[])])
            .Select(Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    public bool IsAllowed(string typeName) =>
        _allowed.Contains(WithoutVersion(typeName)) || IsActorReference(typeName);

    /// <summary>Actor references travel as Akka's own surrogates (of a reference, or of Nobody).</summary>
    private static bool IsActorReference(string typeName)
    {
        var name = WithoutVersion(typeName);
        return name.EndsWith(", Akka", StringComparison.Ordinal) && name.StartsWith("Akka.Actor.", StringComparison.Ordinal) &&
               name.Contains("Surrogate", StringComparison.Ordinal);
    }

    private static string Name(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static string WithoutVersion(string typeName)
    {
        var comma = typeName.IndexOf(',');
        if (comma < 0)
        {
            return typeName;
        }

        var second = typeName.IndexOf(',', comma + 1);
        return second < 0 ? typeName : typeName[..second];
    }
}
