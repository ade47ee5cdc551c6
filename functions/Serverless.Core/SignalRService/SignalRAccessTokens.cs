using Azure.Core;
using Microsoft.IdentityModel.Tokens;
using Serverless.Core.Security;

namespace Serverless.Core.SignalRService;

/// <summary>
/// The bearer tokens Azure SignalR Service accepts: HS256 signed with the access key with <c>aud</c> = the URL,
/// or Microsoft Entra tokens for managed identity.
/// </summary>
internal sealed class SignalRAccessTokens(SignalRConnectionString connection, TokenService tokens, TokenCredential? credential)
{
    /// <summary>The <c>nameid</c> claim the service takes as the connection's user id.</summary>
    public const string UserIdClaim = "nameid";

    // Each REST token is minted for one request; a short life limits what a leaked one can do.
    internal static readonly TimeSpan RestTokenLifetime = TimeSpan.FromMinutes(5);

    private static readonly string[] EntraScopes = ["https://signalr.azure.com/.default"];

    private readonly SymmetricSecurityKey? _key = connection.UsesManagedIdentity
        ? null
        : new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(connection.AccessKey));

    /// <summary>A token for one data-plane request: <c>aud</c> is the URL without query and trailing slash.</summary>
    public async ValueTask<string> GetRestTokenAsync(Uri requestUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestUrl);
        if (_key is null)
        {
            return await GetEntraTokenAsync(cancellationToken).ConfigureAwait(false);
        }

        string audience = requestUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return tokens.CreateToken(_key, issuer: null, audience, new Dictionary<string, object>(), RestTokenLifetime);
    }

    /// <summary>A client token signed with the access key: <c>aud</c> = the client URL, <c>nameid</c> = the user.</summary>
    public string CreateClientToken(string clientUrl, string userId, TimeSpan lifetime)
    {
        if (_key is null)
        {
            throw new InvalidOperationException("Client tokens come from the service's generateToken API with managed identity.");
        }

        return tokens.CreateToken(_key, issuer: null, clientUrl, new Dictionary<string, object> { [UserIdClaim] = userId }, lifetime);
    }

    private async ValueTask<string> GetEntraTokenAsync(CancellationToken cancellationToken)
    {
        TokenCredential source = credential ?? throw new InvalidOperationException("Managed identity is configured but no credential was given.");
        AccessToken token = await source.GetTokenAsync(new TokenRequestContext(EntraScopes), cancellationToken).ConfigureAwait(false);
        return token.Token;
    }
}
