using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;

namespace Serverless.Client;

public sealed partial class JobClient
{
    /// <summary>
    /// Every message of a job after <paramref name="afterSeq"/>, each exactly once and in seq order, ending after the
    /// terminal one (<c>completed</c>, <c>failed</c> or <c>cancelled</c>) that nothing follows: a failed job an operator
    /// retried goes on after its <c>failed</c> message. Survives reconnections: what was persisted
    /// meanwhile is fetched with <c>resume</c>. An unknown job throws <see cref="JobClientException"/> (NOT_FOUND).
    /// </summary>
    public async IAsyncEnumerable<JobMessage> WatchAsync(
        string jobId, long afterSeq = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);

        // Listen before asking for the replay, so a push sent in between is kept rather than lost.
        var watch = new JobWatch(jobId, afterSeq);
        _watches.TryAdd(watch, 0);
        try
        {
            await ResyncAsync(watch, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                while (watch.TryTakeNext(out JobMessage next))
                {
                    yield return next;
                    if (MessageTypes.IsTerminal(next.Type) && !watch.HasPending)
                    {
                        yield break;
                    }
                }

                WatchSignal signal = await watch.WaitAsync(_options.ResyncAfter, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                switch (signal)
                {
                    case WatchSignal.ResyncRequested or WatchSignal.TimedOut:
                        await ResyncAsync(watch, cancellationToken).ConfigureAwait(false);
                        break;
                    case WatchSignal.Closed when State != HubConnectionState.Connected:
                        throw new JobClientException(
                            JobError.Unavailable($"The connection closed while watching job {jobId} (last seq {watch.LastSeq}); watch again from there."),
                            watch.ClosedBy) { IsConnectionFailure = true };
                }
            }
        }
        finally
        {
            _watches.TryRemove(watch, out _);
        }
    }

    /// <summary>Offers the watch every persisted message after the last one it handed out.</summary>
    private async Task ResyncAsync(JobWatch watch, CancellationToken cancellationToken)
    {
        if (State != HubConnectionState.Connected)
        {
            // Reconnecting: the Reconnected event asks again once the connection is back.
            return;
        }

        JobMessage[] replay;
        try
        {
            replay = await InvokeAsync<JobMessage[]>(HubMethods.Resume, [watch.JobId, watch.LastSeq], cancellationToken).ConfigureAwait(false);
        }
        catch (JobClientException ex) when (ex.IsConnectionFailure)
        {
            return;
        }

        if (replay is [{ Type: MessageTypes.Error, Error: { } error }])
        {
            throw new JobClientException(error);
        }

        foreach (JobMessage message in replay)
        {
            watch.Offer(message);
        }
    }
}
