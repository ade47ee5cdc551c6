using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Serverless.Testing;

/// <summary>
/// A local OpenID Connect provider: Kestrel on 127.0.0.1 serving a metadata document and a JWKS with one RSA key
/// made for the test, and issuing RS256 tokens signed with it — what Entra ID is to the app in Azure.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly TimeProvider _time;
    private int _metadataRequests;

    private OpenIdProvider(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key-" + Guid.NewGuid().ToString("N")[..8] };
    }

    /// <summary>The issuer (<c>iss</c>) named in the metadata and in the tokens.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary><c>{issuer}/.well-known/openid-configuration</c>.</summary>
    public Uri MetadataAddress => new(Issuer + "/.well-known/openid-configuration");

    /// <summary>How often the metadata document was fetched.</summary>
    public int MetadataRequests => _metadataRequests;

    /// <summary>Starts the provider; its tokens are dated by <paramref name="time"/> (the app's clock in tests that fake it).</summary>
    public static async Task<OpenIdProvider> StartAsync(TimeProvider? time = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var provider = new OpenIdProvider(app, time ?? TimeProvider.System);
        app.MapGet("/.well-known/openid-configuration", provider.Metadata);
        app.MapGet("/keys", provider.Keys);
        await app.StartAsync();
        provider.Issuer = app.Urls.Single().TrimEnd('/');
        return provider;
    }

    /// <summary>A token as the provider issues it: RS256 with its key, <c>iss</c> = <see cref="Issuer"/>.</summary>
    public string Issue(string audience, IDictionary<string, object> claims, TimeSpan? lifetime = null, string? issuer = null) =>
        Sign(_key, audience, claims, lifetime, issuer ?? Issuer);

    /// <summary>The same token signed with a key the provider never published.</summary>
    public string IssueWithUnknownKey(string audience, IDictionary<string, object> claims)
    {
        using RSA other = RSA.Create(2048);
        return Sign(new RsaSecurityKey(other) { KeyId = _key.KeyId }, audience, claims, lifetime: null, Issuer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private string Sign(RsaSecurityKey key, string audience, IDictionary<string, object> claims, TimeSpan? lifetime, string issuer)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private IResult Metadata()
    {
        Interlocked.Increment(ref _metadataRequests);
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        });
    }

    private IResult Keys()
    {
        RSAParameters parameters = _rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = _key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return Results.Text(JsonSerializer.Serialize(new { keys = new[] { jwk } }), "application/json");
    }
}
