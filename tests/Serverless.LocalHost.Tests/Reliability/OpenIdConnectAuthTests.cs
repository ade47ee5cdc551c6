using System.Net;
using System.Net.Http.Headers;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>
/// <c>Auth:MetadataAddress</c> without a shared key, as with Entra ID: the local host accepts the tokens the
/// provider signs with its published keys, and refuses the same tokens the Functions app refuses.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OpenIdConnectAuthTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string Audience = "api://serverless";
    private OpenIdProvider _provider = null!;
    private LocalHostInstance _host = null!;

    public async Task InitializeAsync()
    {
        _provider = await OpenIdProvider.StartAsync();
        _host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = "",
            ["Auth:EnableDevelopmentTokens"] = "false",
            ["Auth:MetadataAddress"] = _provider.MetadataAddress.AbsoluteUri,
            ["Auth:Issuer"] = _provider.Issuer,
            ["Auth:Audience"] = Audience,
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task HttpApiAndHub_ProviderToken_Accepted()
    {
        string token = _provider.Issue(Audience, new Dictionary<string, object> { ["oid"] = "user-oid", ["tid"] = "tenant-id" });
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        HttpResponseMessage list = await http.GetAsync("/api/jobs");
        await using HubClient client = await _host.ConnectAsync("user-oid", token);
        JobMessage result = await client.SubmitAsync("oidc-1", "echo", new { hello = "provider" });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(MessageTypes.Result, result.Type);
        Assert.True(result.Ok);
        Assert.True(_provider.MetadataRequests >= 1);
    }

    [Fact]
    public async Task HttpApi_BadProviderTokens_Unauthorized()
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
            using var http = new HttpClient { BaseAddress = _host.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/jobs")).StatusCode);
        }
    }
}
