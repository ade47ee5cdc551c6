namespace Serverless.Protocol;

/// <summary>The push circuit held <c>open</c> or <c>closed</c> by <see cref="Operator"/> until <see cref="Until"/>, then automatic again.</summary>
public sealed record PushCircuitOverrideView(string State, DateTimeOffset Until, string Operator);
