using Microsoft.Extensions.Logging;
using Serverless.Core.Notifications;
using Serverless.Protocol;

namespace Serverless.Core.Operators;

/// <summary>
/// Copies every message pushed to a job's owner to the operators' feed, after the owner's push and outside it:
/// a failing feed is logged and never fails the owner's push nor counts against its circuit breaker.
/// </summary>
internal sealed class OperatorFeedNotifier(IClientNotifier inner, IOperatorFeedSender feed, ILogger<OperatorFeedNotifier> logger) : IClientNotifier
{
    public async Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SendToUserAsync(userId, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Operators see the message even when the owner's push failed: it is persisted, the feed has no resume.
            await CopyAsync(userId, message, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        inner.SendToConnectionAsync(connectionId, message, cancellationToken);

    private async Task CopyAsync(string owner, JobMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await feed.SendAsync(new OperatorJobMessage(owner, message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.FeedFailed(logger, ex, message.JobId);
        }
    }
}
