using Microsoft.IdentityModel.Tokens;
using Serverless.Core.Security;

namespace Serverless.Core.SignalRService;

/// <summary>
/// The bearer tokens Azure SignalR Service accepts: HS256 signed with the access key, <c>aud</c> built on
/// <see cref="SignalRConnectionString.AudienceBase"/> (no port) as the service's SDK builds it.
/// </summary>
internal sealed class SignalRAccessTokens(SignalRConnectionString connection, TokenService tokens)
{
    /// <summary>The <c>nameid</c> claim the service takes as the connection's user id.</summary>
    public const string UserIdClaim = "nameid";

    // Each REST token is minted for one request; a short life limits what a leaked one can do.
    internal static readonly TimeSpan RestTokenLifetime = TimeSpan.FromMinutes(5);

    private readonly SymmetricSecurityKey _key = new(System.Text.Encoding.UTF8.GetBytes(connection.AccessKey));

    /// <summary>The audience of a request to <paramref name="relativeUrl"/> (path and query after the endpoint, e.g. <c>api/hubs/jobs/:send?api-version=…</c>).</summary>
    public string Audience(string relativeUrl) => connection.AudienceBase + relativeUrl;

    /// <summary>A token for one data-plane request to <paramref name="relativeUrl"/>.</summary>
    public string CreateRestToken(string relativeUrl) =>
        tokens.CreateToken(_key, issuer: null, Audience(relativeUrl), new Dictionary<string, object>(), RestTokenLifetime);

    /// <summary>
    /// A client token for <paramref name="relativeUrl"/> (<c>client/?hub=…</c>) with <c>nameid</c> = the user, and
    /// <paramref name="extraClaims"/> (which the service forwards to the upstream in <c>X-ASRS-User-Claims</c>).
    /// </summary>
    public string CreateClientToken(string relativeUrl, string userId, TimeSpan lifetime, IReadOnlyDictionary<string, string>? extraClaims = null)
    {
        var claims = new Dictionary<string, object> { [UserIdClaim] = userId };
        foreach ((string type, string value) in extraClaims ?? new Dictionary<string, string>())
        {
            claims[type] = value;
        }

        return tokens.CreateToken(_key, issuer: null, Audience(relativeUrl), claims, lifetime);
    }
}
