using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Operators;
using Serverless.Core.Security;
using Serverless.Core.SignalRService;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// <c>POST /api/negotiate</c> for serverless Azure SignalR Service: tells an authenticated caller where to connect
/// (<c>{ClientEndpoint}client/?hub={hub}</c>) and with which token (<c>aud</c> = that URL on the endpoint without its port,
/// as the service's SDK builds it; <c>nameid</c> = the caller's owner id).
/// </summary>
internal sealed class SignalRNegotiator
{
    private readonly SignalRAccessTokens _tokens;
    private readonly string _clientPath;
    private readonly TimeSpan _lifetime;

    internal SignalRNegotiator(SignalRConnectionString connection, SignalRAccessTokens tokens, IOptions<SignalRServiceOptions> options)
    {
        _tokens = tokens;
        _lifetime = options.Value.ClientTokenLifetime;
        _clientPath = $"client/?hub={SignalRRestClient.HubPath(options.Value.HubName)}";
        ClientUrl = connection.ClientEndpoint + _clientPath;
        ClientAudience = tokens.Audience(_clientPath);
    }

    /// <summary>The URL clients connect to.</summary>
    public string ClientUrl { get; }

    /// <summary>The <c>aud</c> of client tokens: the client URL on the service endpoint, without port.</summary>
    public string ClientAudience { get; }

    /// <summary>200 with <c>{url, accessToken}</c>.</summary>
    public ApiResponse Negotiate(CallerIdentity caller) => Negotiate(caller, extraClaims: null);

    /// <summary>
    /// 200 with <c>{url, accessToken}</c> for a connection to the operators' feed: the same hub, with the feed claim in the
    /// token, so the upstream puts the connection in the <see cref="OperatorFeed.Group"/> group when it connects. Only for
    /// callers <see cref="OperatorNegotiation"/> let through.
    /// </summary>
    public ApiResponse NegotiateOperatorFeed(CallerIdentity caller) =>
        Negotiate(caller, new Dictionary<string, string> { [OperatorFeed.ConnectionClaim] = OperatorFeed.ConnectionClaimValue });

    private ApiResponse Negotiate(CallerIdentity caller, IReadOnlyDictionary<string, string>? extraClaims)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string accessToken = _tokens.CreateClientToken(_clientPath, caller.OwnerId, _lifetime, extraClaims);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("url", ClientUrl);
            writer.WriteString("accessToken", accessToken);
            writer.WriteEndObject();
        }

        return new ApiResponse(200, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
