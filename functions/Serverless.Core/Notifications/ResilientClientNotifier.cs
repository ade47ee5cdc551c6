using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.Core.Notifications;

/// <summary>
/// Guards any push path with a timeout and a circuit breaker, so a dead push path fails fast instead of
/// slowing jobs down (progress is already persisted; resume delivers it). An operator may hold the circuit open
/// (every push fails fast) or closed (pushes skip the breaker, keeping the timeout) until a time
/// (<see cref="IPushCircuitOverrides"/>); after it the breaker decides again. Also reports the circuit as health.
/// </summary>
internal sealed class ResilientClientNotifier : IClientNotifier, IDependencyCheck
{
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly IClientNotifier _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _heldClosed;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly PushCircuitHold _hold;

    public ResilientClientNotifier(IClientNotifier inner, TimeProvider time, IPushCircuitOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _hold = new PushCircuitHold(overrides, time);
        _heldClosed = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(PushTimeout).Build();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(15),
                StateProvider = _breaker,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException),
            })
            .AddTimeout(PushTimeout)
            .Build();
    }

    /// <summary>Closed (pushing), Open (failing fast), HalfOpen (probing) or Isolated.</summary>
    public CircuitState State => _breaker.CircuitState;

    public string Name => "push";

    public async Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) =>
        await (await PipelineAsync(cancellationToken).ConfigureAwait(false)).ExecuteAsync(
            static (state, ct) => new ValueTask(state.Inner.SendToUserAsync(state.UserId, state.Message, ct)),
            (Inner: _inner, UserId: userId, Message: message),
            cancellationToken).ConfigureAwait(false);

    public async Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        await (await PipelineAsync(cancellationToken).ConfigureAwait(false)).ExecuteAsync(
            static (state, ct) => new ValueTask(state.Inner.SendToConnectionAsync(state.ConnectionId, state.Message, ct)),
            (Inner: _inner, ConnectionId: connectionId, Message: message),
            cancellationToken).ConfigureAwait(false);

    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        if (await _hold.ActiveAsync(cancellationToken).ConfigureAwait(false) is { } held)
        {
            return PushCircuitHold.Health(Name, held);
        }

        CircuitState circuit = State;
        string status = circuit switch
        {
            CircuitState.Closed => HealthStatus.Green,
            CircuitState.HalfOpen => HealthStatus.Yellow,
            _ => HealthStatus.Red,
        };
        return new DependencyHealth(Name, status, $"circuit {circuit.ToString().ToLowerInvariant()}", 0);
    }

    /// <summary>The breaker's pipeline, or the operator's choice while an override holds: fail fast, or push without the breaker.</summary>
    private async ValueTask<ResiliencePipeline> PipelineAsync(CancellationToken cancellationToken) =>
        await _hold.ActiveAsync(cancellationToken).ConfigureAwait(false) switch
        {
            { Open: true } held => throw PushCircuitHold.HeldOpen(held),
            { Open: false } => _heldClosed,
            null => _pipeline,
        };
}
