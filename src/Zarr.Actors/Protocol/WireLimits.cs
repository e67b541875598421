using Akka.Configuration;

namespace Zarr.Actors.Protocol;

/// <summary>
/// The sizes that bound what one remote message carries, in one place, with the rule that ties them:
/// a relay batch, plus the one piece that may end it, plus every item's own fields, fits one frame of
/// the transport (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>, 8 MiB in <c>hocon/zarr-actors.conf</c>).
/// The rule is checked by a test of these constants and, against the configured frame, when the store starts.
/// </summary>
public static class WireLimits
{
    public const int KiB = 1024;
    public const int MiB = 1024 * KiB;

    /// <summary>Values (and reads) larger than this travel between nodes in pieces of this size.</summary>
    public const int PieceSize = 4 * MiB;

    /// <summary>Values up to this size travel in relay batches; larger ones take the region's way.</summary>
    public const int MaxBatchedValueBytes = 64 * KiB;

    /// <summary>A relay batch is sent once its values reach this much (so it holds less, plus its last item).</summary>
    public const int MaxBatchBytes = 1 * MiB;

    /// <summary>A relay batch holds at most this many items.</summary>
    public const int MaxBatchItems = 1024;

    /// <summary>What a batch counts for an item that carries no value bytes.</summary>
    public const int ItemWithoutValueBytes = 64;

    /// <summary>
    /// The most an item adds besides its value bytes: its id and kind, a key (1 KiB of UTF-8 at most, as
    /// prefix and name), the lengths of its fields and a write condition's tags.
    /// </summary>
    public const int MaxItemOverhead = 2 * KiB;

    /// <summary>How many bytes besides its own a value read from a message may keep alive, whatever its size.</summary>
    public const int SharedSlack = 4 * KiB;

    /// <summary>The frame <c>hocon/zarr-actors.conf</c> configures.</summary>
    public const long ShippedFrameSize = 8 * MiB;

    /// <summary>The setting that bounds one remote message.</summary>
    public const string FrameSizeSetting = "akka.remote.dot-netty.tcp.maximum-frame-size";

    /// <summary>
    /// The smallest frame the rule allows: a batch just under <see cref="MaxBatchBytes"/>, the piece that
    /// tips it over, and <see cref="MaxItemOverhead"/> for each of <see cref="MaxBatchItems"/> items.
    /// </summary>
    public const long RequiredFrameSize = MaxBatchBytes + PieceSize + (long)MaxBatchItems * MaxItemOverhead;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <see cref="FrameSizeSetting"/> when <paramref name="config"/>
    /// sets a frame smaller than <see cref="RequiredFrameSize"/> (a missing setting is Akka's own default, 128000 bytes).
    /// </summary>
    public static void CheckFrame(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var frame = config.GetByteSize(FrameSizeSetting) ?? 128_000;
        if (frame < RequiredFrameSize)
        {
            throw new ArgumentException(
                $"{FrameSizeSetting} is {frame} bytes, but Zarr.Actors needs at least {RequiredFrameSize} bytes " +
                $"({RequiredFrameSize / (double)MiB:0.#} MiB: a relay batch of {MaxBatchBytes / MiB} MiB, a piece of {PieceSize / MiB} MiB " +
                $"and {MaxItemOverhead / KiB} KiB per item for {MaxBatchItems} items); hocon/zarr-actors.conf sets {ShippedFrameSize / MiB} MiB",
                nameof(config));
        }
    }
}
