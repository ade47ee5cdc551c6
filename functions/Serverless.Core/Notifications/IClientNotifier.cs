using Serverless.Protocol;

namespace Serverless.Core.Notifications;

/// <summary>Pushes messages to connected clients (a SignalR hub locally, Azure SignalR Service in Azure).</summary>
internal interface IClientNotifier
{
    /// <summary>Sends to every connection of the user (the job owner).</summary>
    Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken);

    /// <summary>Sends to one connection (e.g. a resume replay).</summary>
    Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken);
}
