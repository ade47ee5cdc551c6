using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Serverless.Core.Security;

/// <summary>
/// Issues and validates the bearer tokens of <see cref="AuthOptions"/> — HS256 with <see cref="AuthOptions.SigningKey"/>,
/// and those signed with the keys of the OpenID Connect provider at <see cref="AuthOptions.MetadataAddress"/> — and maps
/// claims to a caller. Both hosts check tokens with these parameters, so they accept exactly the same tokens.
/// </summary>
internal sealed class TokenService
{
    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lazy<ConfigurationManager<OpenIdConnectConfiguration>?> _metadata;

    public TokenService(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _metadata = new Lazy<ConfigurationManager<OpenIdConnectConfiguration>?>(() => CreateMetadataManager(options.Value.MetadataAddress));
    }

    /// <summary>The user id claim: <c>sub</c> (also accepted: <c>nameid</c>, <c>oid</c>).</summary>
    public const string UserClaim = "sub";

    /// <summary>The tenant claim; when present, it isolates tenants.</summary>
    public const string TenantClaim = "tid";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>
    /// The provider's metadata and signing keys when <see cref="AuthOptions.MetadataAddress"/> is set: fetched on first
    /// use, cached, refreshed daily and when a token names a key not yet seen (key rollover). Null without an address.
    /// </summary>
    public IConfigurationManager<OpenIdConnectConfiguration>? Metadata => _metadata.Value;

    /// <summary>Whether a metadata address may be fetched: https, or http on a loopback host (a local provider).</summary>
    public static bool IsAllowedMetadataAddress(Uri? address) =>
        address is { IsAbsoluteUri: true } && (address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback));

    /// <summary>A signed token for <paramref name="userId"/> with the configured issuer and audience, and optional <paramref name="roles"/>.</summary>
    public string Issue(string userId, string? tenantId = null, IReadOnlyList<string>? roles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        AuthOptions settings = _options.Value;
        var claims = new Dictionary<string, object> { [UserClaim] = userId };
        if (tenantId is not null)
        {
            claims[TenantClaim] = tenantId;
        }

        if (roles is { Count: > 0 })
        {
            claims[OperatorAccess.RoleClaim] = roles.ToArray();
        }

        return CreateToken(SigningKey(settings), settings.Issuer, settings.Audience, claims, settings.TokenLifetime);
    }

    /// <summary>An HS256 token with the given claims; also used for Azure SignalR Service access tokens.</summary>
    public string CreateToken(SecurityKey key, string? issuer, string audience, IDictionary<string, object> claims, TimeSpan lifetime)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Parameters that accept exactly the tokens of <see cref="AuthOptions"/> (hosts reuse them).</summary>
    public TokenValidationParameters CreateValidationParameters()
    {
        AuthOptions settings = _options.Value;
        return new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = string.IsNullOrEmpty(settings.SigningKey) ? null : SigningKey(settings),
            // With a metadata address the provider's signing keys (and issuer) are accepted too.
            ConfigurationManager = Metadata as BaseConfigurationManager,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = UserClaim,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                DateTime now = _time.GetUtcNow().UtcDateTime;
                return expires is { } e && now < e.AddSeconds(30) && e <= now + settings.MaxTokenLifetime + TimeSpan.FromSeconds(30)
                    && (notBefore is not { } nb || nb.AddSeconds(-30) <= now);
            },
        };
    }

    /// <summary>Validates a bearer token; null when it is missing, forged, expired or for another audience.</summary>
    public async Task<CallerIdentity?> AuthenticateAsync(string? token) =>
        await ValidateAsync(token).ConfigureAwait(false) is { } claims ? FromClaims(claims) : null;

    /// <summary>The claims of a valid bearer token (e.g. for role checks); null when <see cref="AuthenticateAsync"/> would refuse it.</summary>
    public async Task<IReadOnlyList<Claim>?> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        TokenValidationResult result = await _handler.ValidateTokenAsync(token, CreateValidationParameters()).ConfigureAwait(false);
        return result.IsValid && HasStringIds(result.SecurityToken) ? [.. result.ClaimsIdentity.Claims] : null;
    }

    /// <summary>
    /// The caller named by validated claims, or null when they name no user, or a user or tenant that is not a
    /// valid id (<see cref="CallerIdentity.IsValidId"/>, and a JSON string: a numeric <c>sub</c> is refused).
    /// </summary>
    public static CallerIdentity? FromClaims(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        Claim? user = null;
        Claim? tenant = null;
        foreach (Claim claim in claims)
        {
            switch (claim.Type)
            {
                case UserClaim or "nameid" or ClaimTypes.NameIdentifier:
                case "oid" or "http://schemas.microsoft.com/identity/claims/objectidentifier":
                    user ??= claim;
                    break;
                case TenantClaim or "http://schemas.microsoft.com/identity/claims/tenantid":
                    tenant ??= claim;
                    break;
            }
        }

        // A tenant claim that is present but unusable is refused, never dropped: dropping it would make the
        // caller the tenant-less user of the same name.
        return IsValidClaim(user) && (tenant is null || IsValidClaim(tenant))
            ? new CallerIdentity(user.Value, tenant?.Value)
            : null;
    }

    /// <summary>
    /// False when the token's payload holds a user or tenant claim that is not a JSON string (e.g. <c>"sub": 12345</c>):
    /// the handler turns registered claims such as <c>sub</c> into text, so the claim's value type cannot tell.
    /// </summary>
    public static bool HasStringIds(SecurityToken? token)
    {
        if (token is not JsonWebToken jwt)
        {
            return token is not null;
        }

        try
        {
            using JsonDocument payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
            foreach (string name in (string[])[UserClaim, "nameid", "oid", TenantClaim])
            {
                if (payload.RootElement.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static bool IsValidClaim([NotNullWhen(true)] Claim? claim) =>
        claim is not null && claim.ValueType == ClaimValueTypes.String && CallerIdentity.IsValidId(claim.Value);

    private static ConfigurationManager<OpenIdConnectConfiguration>? CreateMetadataManager(Uri? address)
    {
        if (address is null)
        {
            return null;
        }

        if (!IsAllowedMetadataAddress(address))
        {
            throw new InvalidOperationException("Auth:MetadataAddress must be an https URL (http only on a loopback host).");
        }

        return new ConfigurationManager<OpenIdConnectConfiguration>(
            address.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = !address.IsLoopback });
    }

    private static SymmetricSecurityKey SigningKey(AuthOptions settings)
    {
        if (settings.SigningKey is not { Length: >= 32 } key)
        {
            throw new InvalidOperationException("Auth:SigningKey must be set to at least 32 characters to issue or check HS256 tokens.");
        }

        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
    }
}
