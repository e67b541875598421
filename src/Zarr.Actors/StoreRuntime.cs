using System.Runtime.ExceptionServices;
using Akka.Actor;
using Zarr.Actors.Protocol;
using Zarr.Actors.Sharding;
using Zarr.Actors.Sharding.Relay;
using Zarr.Actors.Telemetry;

namespace Zarr.Actors;

/// <summary>
/// A facade's one way into its actors: an <c>Ask</c> of the entry actor (the shard region, or the
/// test-buffer supervisor) with a timeout and the caller's token, failures turned into the contract's
/// exceptions, and a missing answer into <see cref="StoreUnavailableException"/>. With
/// <paramref name="localOwners"/>, a message for a prefix whose owner runs on this node goes to that
/// owner directly, skipping the region and the shard; with <paramref name="relay"/>, a small one for an
/// owner on another node goes in a batch to that node's relay. With <paramref name="membership"/>, a call
/// before the node has joined its cluster fails at once. Every call is observed here, once
/// (<see cref="StoreTelemetry"/>).
/// </summary>
internal sealed class StoreRuntime(ActorSystem system, IActorRef region, TimeSpan timeout, LocalOwners? localOwners = null, RemoteRelay? relay = null,
    NodeMembership? membership = null)
{
    public ActorSystem System { get; } = system;

    public IActorRef Region { get; } = region;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>The owner of <paramref name="prefix"/> when it runs on this node, else null.</summary>
    public IActorRef? LocalOwnerOf(string prefix) => localOwners?.Find(prefix);

    private Task<object> Send(object message, CancellationToken ct)
    {
        if (message is IPrefixMessage addressed)
        {
            if (localOwners is not null && localOwners.TryAsk(addressed.Prefix, message, Timeout, ct, out var direct))
            {
                return direct;
            }

            if (relay is not null && relay.TryAsk(addressed, Timeout, ct, out var relayed))
            {
                return relayed;
            }
        }

        return Region.Ask<object>(message, Timeout, ct);
    }

    public async Task<object> AskAsync(object message, string operation, string key, CancellationToken ct)
    {
        var observation = StoreTelemetry.Start(operation, key);
        object reply;
        try
        {
            ct.ThrowIfCancellationRequested();
            if (System.WhenTerminated.IsCompleted)
            {
                throw StoreErrors.ShutDown(operation, key);
            }

            if (membership is { HasJoined: false } && !await membership.JoinsAsync(ct).ConfigureAwait(false))
            {
                throw StoreErrors.NotJoined(operation, key, membership.Address.ToString());
            }

            try
            {
                reply = await Send(message, ct).ConfigureAwait(false);
            }
            catch (AskTimeoutException e)
            {
                throw Unavailable(operation, key, e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw Unavailable(operation, key, e);
            }

            if (reply is Status.Failure failure)
            {
                ExceptionDispatchInfo.Throw(failure.Cause);
            }
        }
        catch (Exception e)
        {
            observation.Failed(e);
            throw;
        }

        observation.Answered(message, reply);
        return reply;
    }

    private StoreUnavailableException Unavailable(string operation, string key, Exception cause) =>
        System.WhenTerminated.IsCompleted ? StoreErrors.ShutDown(operation, key, cause) : StoreErrors.NoAnswer(operation, key, Timeout, cause);
}
