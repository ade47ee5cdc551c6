namespace Serverless.Core.Operators;

/// <summary>
/// The operators' feed: every job message pushed to its owner is also sent, wrapped in an
/// <see cref="OperatorJobMessage"/>, to the connections of callers with operator access.
/// </summary>
public static class OperatorFeed
{
    /// <summary>The SignalR target the feed is sent on: <c>operatorJob</c>.</summary>
    public const string Target = "operatorJob";
}
