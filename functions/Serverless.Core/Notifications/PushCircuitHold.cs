using Polly.CircuitBreaker;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.Core.Notifications;

/// <summary>
/// An operator's hold on the push circuit as every push path obeys it (the local hub's breaker and the Azure SignalR
/// REST breaker alike): held open, pushes fail fast; held closed, pushes skip the breaker; after the hold, automatic.
/// </summary>
internal sealed class PushCircuitHold(IPushCircuitOverrides? overrides, TimeProvider time)
{
    /// <summary>The hold in force now, or null when the breaker decides.</summary>
    public async ValueTask<PushCircuitOverride?> ActiveAsync(CancellationToken cancellationToken) =>
        overrides is not null && await overrides.CurrentAsync(cancellationToken).ConfigureAwait(false) is { } held && held.Until > time.GetUtcNow()
            ? held
            : null;

    /// <summary>What a push gets while the circuit is held open: the breaker's own fail-fast exception.</summary>
    public static BrokenCircuitException HeldOpen(PushCircuitOverride held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return new BrokenCircuitException($"The push circuit is held open by operator {held.OperatorId} until {held.Until:O}.");
    }

    /// <summary>
    /// The push path's health while held: open is yellow, not red (maintenance, not an outage: jobs still run and persist,
    /// clients catch up on resume); closed is green.
    /// </summary>
    public static DependencyHealth Health(string name, PushCircuitOverride held)
    {
        ArgumentNullException.ThrowIfNull(held);
        string state = held.Open ? "open" : "closed";
        return new DependencyHealth(
            name, held.Open ? HealthStatus.Yellow : HealthStatus.Green, $"circuit {state} (held by operator {held.OperatorId} until {held.Until:O})", 0);
    }
}
