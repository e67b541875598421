using Akka.Actor;
using Akka.Cluster;
using Akka.Serialization;
using Zarr.Actors.Protocol;
using Zarr.Actors.Serialization;
using Zarr.Buffers;

namespace Zarr.Actors;

/// <summary>
/// What the store needs of an actor system it did not configure: the cluster provider, the defaults of
/// <see cref="NodeConfig.Fallback"/> (as a fallback: the application's own settings win) and its
/// serializers. A system built from <c>hocon/zarr-actors.conf</c> already has all of them.
/// </summary>
internal static class SystemRequirements
{
    private static readonly object Adding = new();

    public static void Ensure(ActorSystem system)
    {
        if (((ExtendedActorSystem)system).Provider is not ClusterActorRefProvider)
        {
            throw new ArgumentException(
                $"the store runs on a cluster: actor system '{system.Name}' has provider {system.Settings.ProviderClass}, " +
                "and needs akka.actor.provider = cluster", nameof(system));
        }

        // Before the defaults are added: a frame the system does not set is Akka's 128000 bytes, not theirs.
        WireLimits.CheckFrame(system.Settings.Config);
        lock (Adding)
        {
            if (!system.Settings.Config.HasPath($"{ZarrActorsSettings.Section}.number-of-shards") ||
                !system.Settings.Config.HasPath("akka.cluster.sharding.guardian-name"))
            {
                system.Settings.InjectTopLevelFallback(NodeConfig.Fallback());
            }

            // Serializers are read from the configuration once, when the system starts: add ours by hand.
            var extended = (ExtendedActorSystem)system;
            Bind(system.Serialization, "zarr-protocol", () => new ProtocolSerializer(extended), typeof(IProtocolMessage));
            Bind(system.Serialization, "zarr-values", () => new ValueMessageSerializer(extended), typeof(IValueMessage), typeof(ByteBuffer));
            Bind(system.Serialization, "zarr-relay", () => new RelaySerializer(extended), typeof(RelayedRequests), typeof(RelayedReplies));
        }
    }

    /// <summary>Binds <paramref name="types"/> (exactly these: the keys Akka's lookup starts from) to the serializer <paramref name="create"/> makes, unless they are.</summary>
    private static void Bind<TSerializer>(Akka.Serialization.Serialization serialization, string name, Func<TSerializer> create, params Type[] types)
        where TSerializer : Serializer
    {
        if (types.All(type => serialization.FindSerializerForType(type) is TSerializer))
        {
            return;
        }

        var serializer = create();
        try
        {
            serialization.AddSerializer(name, serializer);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"cannot add the store's serializer '{name}' (id {serializer.Identifier}) to actor system '{serialization.System.Name}': " +
                $"{e.Message}; configure the system with NodeConfig.Fallback() instead", e);
        }

        foreach (var type in types)
        {
            serialization.AddSerializationMap(type, serializer);
        }
    }
}
