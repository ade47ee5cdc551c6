using Polly.CircuitBreaker;
using Serverless.Core.Health;
using Serverless.Core.Notifications;
using Serverless.Protocol;

namespace Serverless.Core.SignalRService;

/// <summary>
/// <see cref="IClientNotifier"/> over the Azure SignalR Service REST API: every message goes on the
/// <see cref="MessageTypes.Target"/> target. Failures throw; Core's push path logs them and never fails the job.
/// </summary>
internal sealed class SignalRClientNotifier(SignalRRestClient rest, PushCircuitHold hold) : IClientNotifier, IDependencyCheck
{
    public string Name => "push";

    /// <summary>The push path's health is its breaker (closed green, half-open yellow, open red), or an operator's hold on it.</summary>
    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        if (await hold.ActiveAsync(cancellationToken).ConfigureAwait(false) is { } held)
        {
            return PushCircuitHold.Health(Name, held);
        }

        string status = BreakerState switch
        {
            CircuitState.Closed => HealthStatus.Green,
            CircuitState.HalfOpen => HealthStatus.Yellow,
            _ => HealthStatus.Red,
        };
        return new DependencyHealth(Name, status, $"Azure SignalR Service REST circuit {BreakerState.ToString().ToLowerInvariant()}", 0);
    }

    /// <summary>The REST breaker's state: Closed when pushes flow, Open while the service is considered down.</summary>
    public CircuitState BreakerState => rest.BreakerState;

    public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) =>
        SendAsync(SignalRRecipient.User, userId, message, cancellationToken);

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        SendAsync(SignalRRecipient.Connection, connectionId, message, cancellationToken);

    /// <summary>Sends to every connection in a group.</summary>
    public Task SendToGroupAsync(string group, JobMessage message, CancellationToken cancellationToken) =>
        SendAsync(SignalRRecipient.Group, group, message, cancellationToken);

    private async Task SendAsync(SignalRRecipient recipient, string id, JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(message);
        ReadOnlyMemory<byte> body = SignalRPayload.Create(MessageTypes.Target, message);
        switch (await hold.ActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            case { Open: true } held:
                throw PushCircuitHold.HeldOpen(held);
            case { Open: false }:
                await rest.SendPastBreakerAsync(recipient, id, body, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await rest.SendAsync(recipient, id, body, cancellationToken).ConfigureAwait(false);
                break;
        }
    }
}
