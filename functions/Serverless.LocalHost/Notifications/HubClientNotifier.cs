using Microsoft.AspNetCore.SignalR;
using Serverless.Core.Notifications;
using Serverless.LocalHost.Hubs;
using Serverless.Protocol;

namespace Serverless.LocalHost.Notifications;

/// <summary>Pushes through the local SignalR hub (Core copies every message to the operators' feed).</summary>
internal sealed class HubClientNotifier(IHubContext<JobHub> hub) : IClientNotifier
{
    public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) =>
        hub.Clients.User(userId).SendAsync(MessageTypes.Target, message, cancellationToken);

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        hub.Clients.Client(connectionId).SendAsync(MessageTypes.Target, message, cancellationToken);
}
