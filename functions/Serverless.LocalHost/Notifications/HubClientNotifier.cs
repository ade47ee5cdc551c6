using Microsoft.AspNetCore.SignalR;
using Serverless.Core.Notifications;
using Serverless.Core.Operators;
using Serverless.Core.Protocol;
using Serverless.LocalHost.Hubs;

namespace Serverless.LocalHost.Notifications;

/// <summary>Pushes through the local SignalR hub, and copies every job message to the operators' feed.</summary>
internal sealed partial class HubClientNotifier(
    IHubContext<JobHub> hub,
    IHubContext<OperatorHub> operators,
    ILogger<HubClientNotifier> logger) : IClientNotifier
{
    public async Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken)
    {
        await hub.Clients.User(userId).SendAsync(MessageTypes.Target, message, cancellationToken).ConfigureAwait(false);
        try
        {
            await operators.Clients.All.SendAsync(OperatorFeed.Target, new OperatorJobMessage(userId, message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The feed is a view for people: its failure must neither fail the owner's push nor trip the push breaker.
            FeedFailed(logger, ex, message.JobId);
        }
    }

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        hub.Clients.Client(connectionId).SendAsync(MessageTypes.Target, message, cancellationToken);

    [LoggerMessage(1, LogLevel.Warning, "Operators' feed copy of job {JobId} failed")]
    private static partial void FeedFailed(ILogger logger, Exception exception, string? jobId);
}
