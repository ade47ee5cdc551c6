using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.Core.Notifications;

/// <summary>
/// Guards any push path with a timeout and a circuit breaker, so a dead push path fails fast instead of
/// slowing jobs down (progress is already persisted; resume delivers it). Also reports the breaker as health.
/// </summary>
public sealed class ResilientClientNotifier : IClientNotifier, IDependencyCheck
{
    private readonly IClientNotifier _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();

    public ResilientClientNotifier(IClientNotifier inner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
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
            .AddTimeout(TimeSpan.FromSeconds(5))
            .Build();
    }

    /// <summary>Closed (pushing), Open (failing fast), HalfOpen (probing) or Isolated.</summary>
    public CircuitState State => _breaker.CircuitState;

    public string Name => "push";

    public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static (state, ct) => new ValueTask(state.Inner.SendToUserAsync(state.UserId, state.Message, ct)),
            (Inner: _inner, UserId: userId, Message: message),
            cancellationToken).AsTask();

    public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static (state, ct) => new ValueTask(state.Inner.SendToConnectionAsync(state.ConnectionId, state.Message, ct)),
            (Inner: _inner, ConnectionId: connectionId, Message: message),
            cancellationToken).AsTask();

    public Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        CircuitState state = State;
        string status = state switch
        {
            CircuitState.Closed => HealthStatus.Green,
            CircuitState.HalfOpen => HealthStatus.Yellow,
            _ => HealthStatus.Red,
        };
        return Task.FromResult(new DependencyHealth(Name, status, $"circuit {state.ToString().ToLowerInvariant()}", 0));
    }
}
