namespace Serverless.Core.Operators;

/// <summary>
/// The operators' feed: every job message pushed to its owner is also sent, wrapped in an
/// <see cref="Protocol.OperatorJobMessage"/>, to the connections of callers with operator access.
/// </summary>
internal static class OperatorFeed
{
    /// <summary>The SignalR target the feed is sent on: <c>operatorJob</c>.</summary>
    public const string Target = "operatorJob";

    /// <summary>The route (under <c>/api</c>) where operators negotiate a feed connection: <c>operators/negotiate</c>.</summary>
    public const string NegotiateRoute = "operators/negotiate";

    /// <summary>The Azure SignalR Service group of feed connections on the clients' hub: <c>operators</c>.</summary>
    public const string Group = "operators";

    /// <summary>
    /// The claim the operators' negotiate puts in an Azure SignalR Service client token (with <see cref="ConnectionClaimValue"/>),
    /// which the service forwards in <c>X-ASRS-User-Claims</c>: <c>serverless.feed</c>.
    /// </summary>
    public const string ConnectionClaim = "serverless.feed";

    /// <summary>The value of <see cref="ConnectionClaim"/> on a feed connection: <c>operators</c>.</summary>
    public const string ConnectionClaimValue = "operators";
}
