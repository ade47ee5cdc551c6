using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.Functions.Tests;

/// <summary>
/// <c>Auth:MetadataAddress</c> without a shared key, as with Entra ID: tokens signed with the provider's published
/// keys are accepted by the Functions app's token check, the same as by the local host's.
/// </summary>
public sealed class OpenIdConnectAuthTests : IAsyncLifetime
{
    private const string Audience = "api://serverless";
    private OpenIdProvider _provider = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        _provider = await OpenIdProvider.StartAsync(time);
        _app = new TestApp(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = "",
            ["Auth:MetadataAddress"] = _provider.MetadataAddress.AbsoluteUri,
            ["Auth:Issuer"] = _provider.Issuer,
            ["Auth:Audience"] = Audience,
        });
        _app.Time.SetUtcNow(time.GetUtcNow());
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Negotiate_ProviderToken_AcceptedForTheTokensUser()
    {
        string token = _provider.Issue(Audience, new Dictionary<string, object> { ["oid"] = "user-oid", ["tid"] = "tenant-id" });

        ApiResponse answer = await NegotiateAsync(token);

        Assert.Equal(200, answer.StatusCode);
        using JsonDocument reply = JsonDocument.Parse(answer.Body);
        var clientToken = new JsonWebToken(reply.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal(new CallerIdentity("user-oid", "tenant-id").OwnerId, clientToken.GetClaim("nameid").Value);
        Assert.True(_provider.MetadataRequests >= 1);
    }

    [Fact]
    public async Task ListJobs_ProviderToken_Ok()
    {
        string token = _provider.Issue(Audience, new Dictionary<string, object> { ["sub"] = "alice" });
        JobsFunctions functions = _app.Function<JobsFunctions>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(await functions.ListJobs(TestApp.Request("GET", token), CancellationToken.None));

            Assert.Equal(200, answer.StatusCode);
        }
    }

    [Fact]
    public async Task Negotiate_BadProviderTokens_Unauthorized()
    {
        var claims = new Dictionary<string, object> { ["sub"] = "mallory" };
        string[] refused =
        [
            _provider.IssueWithUnknownKey(Audience, claims),
            _provider.Issue("api://another-app", claims),
            _provider.Issue(Audience, claims, issuer: "https://login.example.com/other-tenant"),
            _provider.Issue(Audience, claims, lifetime: TimeSpan.FromMinutes(-5)),
            _provider.Issue(Audience, new Dictionary<string, object> { ["name"] = "no user id" }),
        ];

        foreach (string token in refused)
        {
            Assert.Equal(401, (await NegotiateAsync(token)).StatusCode);
        }
    }

    [Theory]
    [InlineData("http://login.example.com/.well-known/openid-configuration")]
    [InlineData("ftp://127.0.0.1/metadata")]
    public void MetadataAddress_NotHttpsOffLoopback_RefusedAtStart(string address)
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["Auth:SigningKey"] = "", ["Auth:MetadataAddress"] = address });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<AuthOptions>>().Value);

        Assert.Contains("Auth:MetadataAddress", error.Message, StringComparison.Ordinal);
    }

    private async Task<ApiResponse> NegotiateAsync(string bearer)
    {
        SignalRFunctions functions = _app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await functions.Negotiate(TestApp.Request("POST", bearer)));
        }
    }
}
