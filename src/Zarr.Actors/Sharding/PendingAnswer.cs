using Akka.Actor;

namespace Zarr.Actors.Sharding;

/// <summary>Waiting for an answer that is not an Akka <c>Ask</c> (a direct request, a relayed one) with Ask's failures.</summary>
internal static class PendingAnswer
{
    /// <summary>
    /// <paramref name="answer"/>'s result; <see cref="AskTimeoutException"/> ("no answer <paramref name="route"/>
    /// within ...") after <paramref name="timeout"/>, as the region's Ask would, and cancelled with <paramref name="ct"/>.
    /// </summary>
    public static async Task<object> WithinAsync(Task<object> answer, TimeSpan timeout, string route, CancellationToken ct)
    {
        try
        {
            return await answer.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException($"no answer {route} within {timeout.TotalSeconds:0.#} s");
        }
    }
}
