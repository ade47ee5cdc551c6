using Serverless.Core.Notifications;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Events;

/// <summary>A push path that accepts everything (pushing is not under test here).</summary>
internal sealed class NoopNotifier : IClientNotifier
{
    public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
