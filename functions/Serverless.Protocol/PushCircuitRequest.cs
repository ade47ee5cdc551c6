namespace Serverless.Protocol;

/// <summary>The body of <c>POST /api/operators/push-circuit</c>: hold the push circuit <c>open</c> or <c>closed</c> for <see cref="Minutes"/>, or hand it back (<c>automatic</c>).</summary>
public sealed record PushCircuitRequest(string? State, int? Minutes);
