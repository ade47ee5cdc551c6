namespace Serverless.Protocol;

/// <summary>
/// The operator controls in force (<c>GET /api/operators/controls</c>, and the answer of every control): the actions whose
/// intake is paused, and the push circuit's forced state, if any.
/// </summary>
/// <param name="PausedActions">The actions whose submits are refused (SERVICE_UNAVAILABLE) until resumed.</param>
/// <param name="PushCircuit">The push circuit's held state; null when the breaker decides by itself.</param>
public sealed record OperatorControlsView(IReadOnlyList<string> PausedActions, PushCircuitOverrideView? PushCircuit);
