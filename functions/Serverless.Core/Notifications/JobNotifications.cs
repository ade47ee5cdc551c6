using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Notifications;

/// <summary>Pushes already-persisted messages; a failed push is logged and counted, never thrown: resume delivers it.</summary>
internal static class JobNotifications
{
    public static async Task PushAsync(
        IClientNotifier notifier, string userId, JobMessage message, ServerlessMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await notifier.SendToUserAsync(userId, message, cancellationToken).ConfigureAwait(false);
            metrics.Pushes.Add(1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.PushFailures.Add(1);
            Log.PushFailed(logger, ex, message.JobId, message.Seq);
        }
    }
}
