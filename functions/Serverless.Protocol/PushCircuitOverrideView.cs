namespace Serverless.Protocol;

/// <summary>The push circuit held <c>open</c> or <c>closed</c> by <see cref="Operator"/> until <see cref="Until"/>, then automatic again.</summary>
/// <param name="State"><c>open</c> (pushes fail fast) or <c>closed</c> (pushes skip the breaker).</param>
/// <param name="Until">When the hold ends and the breaker decides again.</param>
/// <param name="Operator">The owner id of the operator who set it.</param>
public sealed record PushCircuitOverrideView(string State, DateTimeOffset Until, string Operator);
