namespace Serverless.Protocol;

/// <summary>
/// The operator controls in force (<c>GET /api/operators/controls</c>, and the answer of every control): the actions whose
/// intake is paused, and the push circuit's forced state, if any.
/// </summary>
public sealed record OperatorControlsView(IReadOnlyList<string> PausedActions, PushCircuitOverrideView? PushCircuit);
