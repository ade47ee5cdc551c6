using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>Issue 13, finding 3: development tokens only in Development, on loopback, with validated ids, and loudly.</summary>
[Collection(StackCollection.Name)]
public sealed class DevelopmentTokenTests(LocalStackFixture stack)
{
    private static readonly Dictionary<string, string?> Enabled = new() { ["Auth:EnableDevelopmentTokens"] = "true" };

    [Fact]
    public async Task ProductionEnvironment_SettingOn_NoTokensAndAWarning()
    {
        var logs = new LogCapture();
        await using LocalHostInstance host = await LocalHostInstance.StartAsync(
            stack.Azurite.ConnectionString, Enabled, services => services.AddSingleton<ILoggerProvider>(logs), environment: "Production");
        using HttpClient http = host.CreateHttpClient(user: null);

        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?user=alice&role=operator", null);

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Contains(logs.Lines, line => line.Contains("stay off", StringComparison.Ordinal) && line.Contains("Production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevelopmentListeningBeyondLoopback_NoTokens()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>(Enabled) { ["Urls"] = "http://0.0.0.0:0" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.BaseAddress.Port}") };

        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?user=alice", null);

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
    }

    [Fact]
    public async Task DevelopmentOnLoopback_TokensAndALoudWarning()
    {
        var logs = new LogCapture();
        await using LocalHostInstance host = await LocalHostInstance.StartAsync(
            stack.Azurite.ConnectionString, Enabled, services => services.AddSingleton<ILoggerProvider>(logs));
        using HttpClient http = host.CreateHttpClient(user: null);

        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?user=alice", null);

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains(logs.Lines, line => line.Contains("DEVELOPMENT TOKENS ARE ON", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("user=")]
    [InlineData("user=%20%20")]
    [InlineData("user=a%0Ab")]
    [InlineData("user=alice&tenant=a%0A%00b")]
    [InlineData("user=alice&tenant=%20")]
    [InlineData("user=alice&tenant=a%7F")]
    [InlineData("user=alice&role=admin")]
    [InlineData("user=alice&role=operator%00")]
    public async Task InvalidUserTenantOrRole_ValidationError(string query)
    {
        using HttpClient http = stack.Host.CreateHttpClient(user: null);

        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?" + query, null);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Fact]
    public async Task UserOverTheIdLength_ValidationError()
    {
        using HttpClient http = stack.Host.CreateHttpClient(user: null);

        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?user=" + new string('a', 129), null);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
    }

}
