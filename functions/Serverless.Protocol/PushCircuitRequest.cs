namespace Serverless.Protocol;

/// <summary>The body of <c>POST /api/operators/push-circuit</c>: hold the push circuit <c>open</c> or <c>closed</c> for <see cref="Minutes"/>, or hand it back (<c>automatic</c>).</summary>
/// <param name="State"><c>open</c>, <c>closed</c> or <c>automatic</c>; anything else is a VALIDATION_ERROR.</param>
/// <param name="Minutes">How long to hold <c>open</c> or <c>closed</c>: 1 to the server's <c>Operators:MaxPushCircuitMinutes</c> (240 by default); ignored for <c>automatic</c>.</param>
public sealed record PushCircuitRequest(string? State, int? Minutes);
