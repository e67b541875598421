using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Zarr.Actors.Backends;
using Zarr.Actors.Protocol;

namespace Zarr.Actors.Owners;

/// <summary>
/// An owner's non-empty child prefixes, and its own place in its parent's: a prefix registers with its
/// parent before its first key is acknowledged and unregisters before the delete that empties it is
/// acknowledged. That keeps <c>ListDir</c> to one message and lets the parent, which sees both its keys
/// and its child prefixes, enforce "a name is a key or a directory, never both".
/// </summary>
internal sealed class ChildRegistry(string prefix, IPrefixStorage storage, IActorRef parents, TimeSpan timeout, ILoggingAdapter log)
{
    /// <summary>True when this prefix holds no key and no child prefix: it is no directory of its parent's.</summary>
    public bool PrefixIsEmpty => storage.Count == 0 && storage.Children.Count == 0;

    /// <summary>True for the root prefix, which has no parent to register with.</summary>
    public bool IsRoot => prefix.Length == 0;

    public void Register(RegisterChild message, IActorRef sender)
    {
        if (storage.Contains(message.ChildName))
        {
            sender.Tell(new DirectoryConflict(KeyRules.Join(prefix, message.ChildName)));
            return;
        }

        if (storage.Children.Contains(message.ChildName) || !PrefixIsEmpty || IsRoot)
        {
            storage.AddChild(message.ChildName);
            sender.Tell(Done.Instance);
            return;
        }

        // This prefix was empty, so it is not yet a directory of its own parent either.
        RunReplying(sender, async replyTo =>
        {
            var conflict = await RegisterWithParentAsync();
            if (conflict is null)
            {
                storage.AddChild(message.ChildName);
            }

            replyTo.Tell((object?)conflict ?? Done.Instance);
        });
    }

    public void Unregister(UnregisterChild message, IActorRef sender)
    {
        if (!storage.RemoveChild(message.ChildName))
        {
            sender.Tell(Done.Instance);
            return;
        }

        ReplyOnceParentKnows(Done.Instance, sender);
    }

    /// <summary>
    /// Registers this prefix with its parent, then runs <paramref name="write"/> (the first key's write);
    /// when the parent answers that this prefix's name is a key there, refuses the write of <paramref name="key"/>.
    /// </summary>
    public void RegisterThen(string operation, string key, IActorRef sender, Action<IActorRef> write) =>
        RunReplying(sender, async replyTo =>
        {
            var conflict = await RegisterWithParentAsync();
            if (conflict is not null)
            {
                replyTo.Tell(new Status.Failure(StoreErrors.AncestorIsKey(operation, key, conflict.Path)));
                return;
            }

            write(replyTo);
        });

    /// <summary>Replies at once, or, when this prefix just became empty, once the parent has forgotten it.</summary>
    public void ReplyOnceParentKnows(object reply, IActorRef sender)
    {
        if (!PrefixIsEmpty || IsRoot)
        {
            sender.Tell(reply);
            return;
        }

        RunReplying(sender, async replyTo =>
        {
            await AskParentAsync(new UnregisterChild(KeyRules.ParentOf(prefix), KeyRules.NameOf(prefix)));
            replyTo.Tell(reply);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the owner's mailbox suspended, so no other message for this prefix
    /// is handled until the parent has answered; a parent that does not answer fails the request, not the actor.
    /// Call it only while the owner handles a message.
    /// </summary>
    private void RunReplying(IActorRef sender, Func<IActorRef, Task> work) =>
        ActorTaskScheduler.RunTask(async () =>
        {
            try
            {
                await work(sender);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                sender.Tell(new Status.Failure(new StoreUnavailableException(
                    $"the owner of {KeyRules.Quote(KeyRules.ParentOf(prefix))} did not answer the owner of {KeyRules.Quote(prefix)} within {timeout.TotalSeconds:0.#} s", e)));
            }
        });

    private async Task<DirectoryConflict?> RegisterWithParentAsync() =>
        await AskParentAsync(new RegisterChild(KeyRules.ParentOf(prefix), KeyRules.NameOf(prefix))) as DirectoryConflict;

    /// <summary>
    /// Asks the parent's owner, retrying: (un)registration is idempotent, and a message in flight while
    /// the parent's shard is handed off to another node can be lost.
    /// </summary>
    private async Task<object> AskParentAsync(IPrefixMessage message)
    {
        const int attempts = 4;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reply = await parents.Ask<object>(message, timeout / attempts);
                return reply is Status.Failure failure ? throw failure.Cause : reply;
            }
            catch (AskTimeoutException) when (attempt < attempts)
            {
                log.Warning("the owner of {0} did not answer {1}; asking again", KeyRules.Quote(message.Prefix), message.GetType().Name);
            }
        }
    }
}
