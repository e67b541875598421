using Akka.Actor;
using Zarr.Actors.Protocol;
using Zarr.Buffers;

namespace Zarr.Actors.Owners;

/// <summary>
/// Values too large for one remote frame (<see cref="WireLimits.PieceSize"/>) written from another node:
/// pieces gather under their transfer id and become one value only once all arrived; pieces of a writer
/// that went away are dropped. (Reads go the other way without state here: the owner answers
/// <see cref="LargeValue"/> with the version's tag and reads each piece from storage again, checking the tag.)
/// </summary>
internal sealed class LargeValueTransfers(string prefix, TimeSpan timeout)
{
    private readonly Dictionary<string, PendingTransfer> _incoming = new(StringComparer.Ordinal);

    /// <summary>True while a value is arriving in pieces (the owner then does not passivate).</summary>
    public bool HasIncoming => _incoming.Count > 0;

    public void ReceivePiece(PutValuePiece message, IActorRef sender)
    {
        DropAbandoned();
        if (message.TotalLength is < 0 or > int.MaxValue || message.Offset < 0 || message.Offset + message.Piece.Length > message.TotalLength)
        {
            sender.Tell(new Status.Failure(new ArgumentOutOfRangeException(nameof(message),
                $"piece [{message.Offset}, +{message.Piece.Length}) does not fit a value of {message.TotalLength} bytes")));
            return;
        }

        if (!_incoming.TryGetValue(message.TransferId, out var transfer))
        {
            _incoming[message.TransferId] = transfer = new PendingTransfer(new byte[message.TotalLength], DateTime.UtcNow);
        }
        else if (transfer.Bytes.Length != message.TotalLength)
        {
            sender.Tell(new Status.Failure(new ArgumentException($"transfer {message.TransferId} changed its length")));
            return;
        }

        message.Piece.Span.CopyTo(transfer.Bytes.AsSpan((int)message.Offset));
        transfer.Received += message.Piece.Length;
        sender.Tell(Done.Instance);
    }

    /// <summary>The whole value of a committed transfer as a write; null, with the sender told why, when pieces are missing.</summary>
    public PutValue? Assemble(CommitValue message, IActorRef sender) =>
        TakeWhole(message.TransferId, message.Operation, message.Name, sender) is { } value
            ? new PutValue(message.Prefix, message.Name, value, message.Condition)
            : null;

    /// <summary>
    /// The whole value of transfer <paramref name="transferId"/>, which is then forgotten; null, with the sender
    /// told that nothing was written, when pieces are missing.
    /// </summary>
    public ByteBuffer? TakeWhole(string transferId, string operation, string name, IActorRef sender)
    {
        if (!_incoming.Remove(transferId, out var transfer) || transfer.Received != transfer.Bytes.Length)
        {
            sender.Tell(new Status.Failure(new StoreUnavailableException(
                $"{operation} {KeyRules.Quote(KeyRules.Join(prefix, name))}: the value's pieces did not all arrive; nothing was written")));
            return null;
        }

        return ByteBuffer.FromMemory(transfer.Bytes);
    }

    /// <summary>Pieces of a writer that went away are dropped after twice the request timeout.</summary>
    private void DropAbandoned()
    {
        var cutoff = DateTime.UtcNow - 2 * timeout;
        foreach (var id in _incoming.Where(t => t.Value.Started < cutoff).Select(t => t.Key).ToList())
        {
            _incoming.Remove(id);
        }
    }

    private sealed class PendingTransfer(byte[] bytes, DateTime started)
    {
        public byte[] Bytes { get; } = bytes;

        public DateTime Started { get; } = started;

        public long Received { get; set; }
    }
}
