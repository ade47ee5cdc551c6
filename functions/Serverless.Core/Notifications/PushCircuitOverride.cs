namespace Serverless.Core.Notifications;

/// <summary>The push circuit held open (<paramref name="Open"/>) or closed by an operator until <paramref name="Until"/>, then automatic again.</summary>
internal sealed record PushCircuitOverride(bool Open, DateTimeOffset Until, string OperatorId);
