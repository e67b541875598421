using Akka.Actor;

namespace Zarr.Actors.Testing;

/// <summary>
/// Supervises the <see cref="TestBufferKeeper"/>: a message with the wrong buffer type resumes it (its
/// state is sound: the message was refused before it touched anything), anything unexpected restarts
/// it. The table is owned here and handed to every incarnation of the keeper, so neither decision can
/// lose data. Messages for the keeper are forwarded, so replies go straight to the caller.
/// </summary>
public sealed class TestBufferSupervisor : ReceiveActor
{
    private readonly KeyValueTable _table = new();
    private IActorRef _keeper = ActorRefs.Nobody;
    private int _resumes;
    private int _restarts;

    public TestBufferSupervisor()
    {
        Receive<GetSupervisionLog>(_ => Sender.Tell(new SupervisionLog(_resumes, _restarts)));
        ReceiveAny(message => _keeper.Forward(message));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new TestBufferSupervisor());

    protected override void PreStart() => _keeper = Context.ActorOf(TestBufferKeeper.Props(_table), "keeper");

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: -1,
        withinTimeMilliseconds: -1,
        localOnlyDecider: failure =>
        {
            if (failure is UnexpectedBufferTypeException)
            {
                _resumes++;
                return Directive.Resume;
            }

            _restarts++;
            return Directive.Restart;
        },
        // Refusals are the store's purpose, not incidents worth an error log each.
        loggingEnabled: false);
}
