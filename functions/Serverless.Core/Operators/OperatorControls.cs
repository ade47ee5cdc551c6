using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Events;
using Serverless.Core.Health;
using Serverless.Core.Notifications;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Operators;

/// <summary>
/// The operator controls every instance obeys: paused intake per action and the push circuit override. Kept in
/// Table storage (<see cref="OperatorControlStore"/>) and cached for <see cref="OperatorOptions.CacheDuration"/>, so a
/// submit or a push does not pay a storage read. Shows in health as <c>intake</c>.
/// </summary>
internal sealed class OperatorControls : IPushCircuitOverrides, IDependencyCheck, IDisposable
{
    private readonly OperatorControlStore _store;
    private readonly IJobEventSink _events;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OperatorControls> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    internal OperatorControls(OperatorControlStore store, IJobEventSink events, IOptions<OperatorOptions> options, TimeProvider time, ILogger<OperatorControls> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _events = events;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public string Name => "intake";

    /// <summary>The controls in force, from the cache while it is fresh; on a storage failure the last known ones.</summary>
    public ValueTask<OperatorControlState> CurrentAsync(CancellationToken cancellationToken) =>
        _snapshot is { } snapshot && _time.GetUtcNow() < snapshot.FreshUntil
            ? ValueTask.FromResult(snapshot.State)
            : new ValueTask<OperatorControlState>(RefreshAsync(force: false, cancellationToken));

    async ValueTask<PushCircuitOverride?> IPushCircuitOverrides.CurrentAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).PushCircuit;

    /// <summary>The SERVICE_UNAVAILABLE error a submit of <paramref name="action"/> gets while its intake is paused, else null.</summary>
    public async ValueTask<JobError?> PausedErrorAsync(string action, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).PausedActions.Contains(action)
            ? JobError.Unavailable($"Intake of '{action}' is paused by an operator; retry later.") with
            {
                RetryAfterMs = (long)_options.PausedRetryAfter.TotalMilliseconds,
            }
            : null;

    /// <summary>Pauses intake of <paramref name="action"/> (a registered action) on every instance.</summary>
    public async Task<OperatorControlState> PauseAsync(string action, string operatorId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        await _store.PauseAsync(action, operatorId, now, cancellationToken).ConfigureAwait(false);
        Emit(JobEventTypes.OperatorsSubject, now, new JobEventData { Control = "pause", Action = action, OperatorId = operatorId });
        return await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resumes intake of <paramref name="action"/> on every instance (nothing changes when it was not paused).</summary>
    public async Task<OperatorControlState> ResumeAsync(string action, string operatorId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        await _store.ResumeAsync(action, cancellationToken).ConfigureAwait(false);
        Emit(JobEventTypes.OperatorsSubject, now, new JobEventData { Control = "resume", Action = action, OperatorId = operatorId });
        return await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Holds the push circuit open or closed for <paramref name="duration"/>, then it is automatic again; a null
    /// <paramref name="open"/> hands it back to the breaker at once.
    /// </summary>
    public async Task<OperatorControlState> ForcePushCircuitAsync(bool? open, TimeSpan duration, string operatorId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        PushCircuitOverride? circuit = open is { } held ? new PushCircuitOverride(held, now + duration, operatorId) : null;
        await _store.SetPushCircuitAsync(circuit, cancellationToken).ConfigureAwait(false);
        Emit(JobEventTypes.OperatorsSubject, now, new JobEventData
        {
            Control = "push-circuit",
            CircuitState = circuit is null ? "automatic" : circuit.Open ? "open" : "closed",
            Until = circuit?.Until,
            OperatorId = operatorId,
        });
        return await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The controls in their wire form; an expired push circuit override is left out.</summary>
    public OperatorControlsView ToView(OperatorControlState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        PushCircuitOverride? circuit = state.PushCircuit is { } c && c.Until > _time.GetUtcNow() ? c : null;
        return new OperatorControlsView(
            [.. state.PausedActions.Order(StringComparer.Ordinal)],
            circuit is null ? null : new PushCircuitOverrideView(circuit.Open ? "open" : "closed", circuit.Until, circuit.OperatorId));
    }

    /// <summary>Yellow while any action's intake is paused (running jobs are unaffected), naming them; else green.</summary>
    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        OperatorControlState state = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return state.PausedActions.Count == 0
            ? new DependencyHealth(Name, HealthStatus.Green, "accepting every action", 0)
            : new DependencyHealth(Name, HealthStatus.Yellow, "paused: " + string.Join(", ", state.PausedActions.Order(StringComparer.Ordinal)), 0);
    }

    private void Emit(string subject, DateTimeOffset at, JobEventData data) =>
        _events.Emit(JobEvent.OperatorControl(subject, at, data));

    /// <summary>
    /// Reads the controls again. Unless <paramref name="force"/>d (after this instance changed them), a caller that finds
    /// a read under way keeps the last known controls instead of queueing behind it: a slow storage never holds pushes.
    /// </summary>
    private async Task<OperatorControlState> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && _snapshot is { } known && !await _refresh.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return known.State;
        }
        else if (force || _snapshot is null)
        {
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (!force && _snapshot is { } current && _time.GetUtcNow() < current.FreshUntil)
            {
                return current.State;
            }

            OperatorControlState state = await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
            _snapshot = new Snapshot(state, _time.GetUtcNow() + _options.CacheDuration);
            return state;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage away: keep obeying the last known controls (none before the first read) and try again a cache time later.
            Log.OperatorControlsReadFailed(_logger, ex);
            OperatorControlState lastKnown = _snapshot?.State ?? OperatorControlState.None;
            _snapshot = new Snapshot(lastKnown, _time.GetUtcNow() + _options.CacheDuration);
            return lastKnown;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private sealed record Snapshot(OperatorControlState State, DateTimeOffset FreshUntil);
}
