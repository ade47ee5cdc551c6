using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

public sealed class NegotiateFunctionTests : IDisposable
{
    private const string ClientUrl = TestApp.SignalREndpoint + "/client/?hub=jobs";

    // The SDK leaves the port (Port=8888 in the test connection string) out of token audiences.
    private const string ClientAudience = "http://localhost/client/?hub=jobs";
    private readonly TestApp _app = new();

    [Fact]
    public async Task Negotiate_NoToken_Unauthorized()
    {
        ApiResponse answer = await NegotiateAsync(bearer: null);

        Assert.Equal(401, answer.StatusCode);
        Assert.Contains("UNAUTHORIZED", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_ForgedToken_Unauthorized()
    {
        string forged = _app.TokenFor("alice")[..^4] + "AAAA";

        Assert.Equal(401, (await NegotiateAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task Negotiate_ValidToken_ReturnsClientUrlAndTokenForTheCaller()
    {
        ApiResponse answer = await NegotiateAsync(_app.TokenFor("alice", tenant: "contoso"));

        Assert.Equal(200, answer.StatusCode);
        using JsonDocument reply = JsonDocument.Parse(answer.Body);
        Assert.Equal(ClientUrl, reply.RootElement.GetProperty("url").GetString());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(reply.RootElement.GetProperty("accessToken").GetString(), new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestApp.AccessKey)),
            ValidAudience = ClientAudience,
            ValidateIssuer = false,
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("contoso~~alice", token.GetClaim("nameid").Value);
        Assert.Equal(_app.Time.GetUtcNow().UtcDateTime.AddHours(1), token.ValidTo, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Negotiate_ClientTokenLifetimeSetting_SetsExpiry()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["SignalR:ClientTokenLifetime"] = "00:10:00" });
        SignalRFunctions functions = app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(await functions.Negotiate(TestApp.Request("POST", app.TokenFor("bob"))));
            using JsonDocument reply = JsonDocument.Parse(answer.Body);
            var token = new JsonWebToken(reply.RootElement.GetProperty("accessToken").GetString());
            Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddMinutes(10), token.ValidTo, TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Negotiate_ClientEndpoint_HandsItOutWithTheServiceEndpointsAudience()
    {
        using var app = new TestApp(new Dictionary<string, string?>
        {
            ["SignalR:ConnectionString"] = $"Endpoint=https://demo.service.signalr.net;ClientEndpoint=https://gateway.contoso.com/realtime;ServerEndpoint=http://10.0.0.4:8080;AccessKey={TestApp.AccessKey};Version=1.0;",
        });

        (string url, JsonWebToken token) = await NegotiateWithAsync(app);

        Assert.Equal("https://gateway.contoso.com/realtime/client/?hub=jobs", url);
        Assert.Equal(["https://demo.service.signalr.net/client/?hub=jobs"], token.Audiences);
    }

    [Fact]
    public async Task Negotiate_MixedCaseHubName_LowerCasedAsTheServiceNamesHubs()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["SignalR:HubName"] = "JobsHub" });

        (string url, JsonWebToken token) = await NegotiateWithAsync(app);

        Assert.Equal(TestApp.SignalREndpoint + "/client/?hub=jobshub", url);
        Assert.Equal(["http://localhost/client/?hub=jobshub"], token.Audiences);
    }

    private static async Task<(string Url, JsonWebToken Token)> NegotiateWithAsync(TestApp app)
    {
        SignalRFunctions functions = app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(await functions.Negotiate(TestApp.Request("POST", app.TokenFor("bob"))));
            Assert.Equal(200, answer.StatusCode);
            using JsonDocument reply = JsonDocument.Parse(answer.Body);
            return (reply.RootElement.GetProperty("url").GetString()!, new JsonWebToken(reply.RootElement.GetProperty("accessToken").GetString()));
        }
    }

    private async Task<ApiResponse> NegotiateAsync(string? bearer)
    {
        SignalRFunctions functions = _app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await functions.Negotiate(TestApp.Request("POST", bearer)));
        }
    }

    public void Dispose() => _app.Dispose();
}
