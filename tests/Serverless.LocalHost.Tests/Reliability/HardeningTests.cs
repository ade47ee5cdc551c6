using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>Issue 13's lower items on the local host: negotiate URL, headers, token lifetime, sub type, trailing data, read rate, connection cap.</summary>
[Collection(StackCollection.Name)]
public sealed class HardeningTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Negotiate_ForeignHostHeader_IsNotReflected()
    {
        using HttpClient http = stack.Host.CreateHttpClient("negotiate-user");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/negotiate");
        request.Headers.Host = "evil.example";

        HttpResponseMessage reply = await http.SendAsync(request);

        string url = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        Assert.Equal(new Uri(stack.Host.BaseAddress, "/hubs/jobs").AbsoluteUri, url);
        Assert.Equal("no-store", reply.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Negotiate_PublicUrlSetting_IsTheHubOrigin()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?> { ["Hub:PublicUrl"] = "https://jobs.example.org/ignored/path" });
        using HttpClient http = host.CreateHttpClient("negotiate-user");

        HttpResponseMessage reply = await http.PostAsync("/api/negotiate", null);

        Assert.Equal("https://jobs.example.org/hubs/jobs", (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        using HttpClient http = stack.Host.CreateHttpClient("headers-user");

        HttpResponseMessage api = await http.GetAsync("/api/jobs");
        HttpResponseMessage token = await http.PostAsync("/api/dev/token?user=headers-user", null);
        HttpResponseMessage dashboard = await http.GetAsync("/dashboard/");

        Assert.Equal("nosniff", Single(api, "X-Content-Type-Options"));
        Assert.Equal("no-store", Single(api, "Cache-Control"));
        Assert.Equal("no-store", Single(token, "Cache-Control"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("nosniff", Single(dashboard, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(dashboard, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Single(dashboard, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("far-expiry")]
    [InlineData("numeric-sub")]
    public async Task Token_FarExpiryOrNumericSub_Refused(string kind)
    {
        string token = Token(kind);
        using var http = new HttpClient { BaseAddress = stack.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        HttpResponseMessage list = await http.GetAsync("/api/jobs");
        HttpResponseMessage negotiate = await http.PostAsync("/hubs/jobs/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        HttpRequestException hub = await Assert.ThrowsAsync<HttpRequestException>(() => stack.Host.ConnectAsync("anyone", token));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Theory]
    [InlineData("""{"requestId":"t1","action":"echo","payload":{}} {"requestId":"t2","action":"echo"}""")]
    [InlineData("""{"requestId":"t1","action":"echo","payload":{}}garbage""")]
    [InlineData("""{"requestId":"t1","action":"echo","payload":{}}]""")]
    public async Task Submit_DataAfterTheRequestObject_ValidationError(string body)
    {
        using HttpClient http = stack.Host.CreateHttpClient("trailing-user");

        HttpResponseMessage reply = await http.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Fact]
    public async Task Reads_OverTheReadBurst_RateLimited_OtherUsersUnaffected()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Limits:ReadsPerSecond"] = "0.01",
            ["Limits:ReadBurst"] = "3",
        });
        using HttpClient reader = host.CreateHttpClient("greedy-reader");
        using HttpClient other = host.CreateHttpClient("polite-reader");

        HttpStatusCode[] statuses = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => (await reader.GetAsync("/api/jobs")).StatusCode))];
        HttpResponseMessage limited = await reader.GetAsync("/api/jobs/j0000000000000000000000000000000");

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(ErrorCodes.RateLimited, (await limited.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task HubConnections_OverThePerUserCap_Closed_AndFreedOnDisconnect()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionsPerUser"] = "2" });
        await using HubClient first = await host.ConnectAsync("capped");
        await using HubClient second = await host.ConnectAsync("capped");
        await using HubClient otherUser = await host.ConnectAsync("uncapped");

        await using HubClient third = await host.ConnectAsync("capped");
        await WaitUntilAsync(() => third.Connection.State == HubConnectionState.Disconnected);
        await first.Connection.StopAsync();
        await using HubClient fourth = await host.ConnectAsync("capped");
        JobMessage echo = await fourth.SubmitAsync("cap-1", "echo", new { });

        Assert.Equal(HubConnectionState.Connected, second.Connection.State);
        Assert.Equal(HubConnectionState.Connected, otherUser.Connection.State);
        Assert.True(echo.Ok);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }

    private static string Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"No {name} header on {response.RequestMessage?.RequestUri}.");

    private static string Token(string kind)
    {
        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "serverless-dev",
            Audience = "serverless",
            Claims = new Dictionary<string, object> { ["sub"] = kind == "numeric-sub" ? 12345 : "eve" },
            NotBefore = now,
            IssuedAt = now,
            Expires = kind == "far-expiry" ? now.AddYears(10) : now.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LocalHostInstance.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
