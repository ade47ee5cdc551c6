using System.Collections.Concurrent;
using Serverless.Core.Notifications;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>Keeps every message pushed to a user, in order.</summary>
public sealed class RecordingNotifier : IClientNotifier
{
    public ConcurrentQueue<(string UserId, JobMessage Message)> ToUsers { get; } = new();

    public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken)
    {
        ToUsers.Enqueue((userId, message));
        return Task.CompletedTask;
    }

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
