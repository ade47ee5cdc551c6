using Microsoft.AspNetCore.SignalR;
using Serverless.Core.Operators;
using Serverless.LocalHost.Hubs;
using Serverless.Protocol;

namespace Serverless.LocalHost.Notifications;

/// <summary>The operators' feed on this host: every connection of the operators' hub.</summary>
internal sealed class HubOperatorFeedSender(IHubContext<OperatorHub> operators) : IOperatorFeedSender
{
    public Task SendAsync(OperatorJobMessage message, CancellationToken cancellationToken) =>
        operators.Clients.All.SendAsync(OperatorFeed.Target, message, cancellationToken);
}
