using Serverless.Core.Operators;
using Serverless.Protocol;

namespace Serverless.Core.SignalRService;

/// <summary>
/// The operators' feed over Azure SignalR Service: feed connections are put in the <see cref="OperatorFeed.Group"/>
/// group of the clients' hub when they connect, and every feed message is sent to that group.
/// </summary>
internal sealed class SignalROperatorFeed(SignalRRestClient rest) : IOperatorFeedSender
{
    public Task SendAsync(OperatorJobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return rest.SendToFeedGroupAsync(OperatorFeed.Group, SignalRPayload.Create(OperatorFeed.Target, message, ProtocolJson.Default.OperatorJobMessage), cancellationToken);
    }

    /// <summary>Makes <paramref name="connectionId"/> a feed connection.</summary>
    public Task AddAsync(string connectionId, CancellationToken cancellationToken) =>
        rest.AddToFeedGroupAsync(OperatorFeed.Group, connectionId, cancellationToken);

    /// <summary>
    /// Whether the claims the service forwarded for a connection (<c>X-ASRS-User-Claims</c>: <c>type: value</c> entries,
    /// comma-separated) hold the feed claim only the operators' negotiate puts in a client token. Those tokens are signed
    /// with the access key, so a client cannot add the claim to its own.
    /// </summary>
    public static bool IsFeedConnection(string? userClaims)
    {
        if (string.IsNullOrEmpty(userClaims))
        {
            return false;
        }

        const string Wanted = OperatorFeed.ConnectionClaim + ": " + OperatorFeed.ConnectionClaimValue;
        return userClaims.Split(',').Any(entry => string.Equals(entry.Trim(), Wanted, StringComparison.Ordinal));
    }
}
