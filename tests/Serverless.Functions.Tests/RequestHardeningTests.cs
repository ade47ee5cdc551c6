using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

/// <summary>Issue 13, finding 4 and the lower items, on the Functions app: invalid Unicode, trailing data, token checks, headers.</summary>
public sealed class RequestHardeningTests : IDisposable
{
    private readonly TestApp _app = new();

    [Theory]
    [InlineData("""{"requestId":"u1","action":"generate_report","payload":{"title":"\ud800"}}""")]
    [InlineData("""{"requestId":"\udc00","action":"echo"}""")]
    [InlineData("""{"requestId":"u2","action":"echo","payload":{"\ud800":1}}""")]
    [InlineData("""{"requestId":"t1","action":"echo","payload":{}} {"requestId":"t2","action":"echo"}""")]
    [InlineData("""{"requestId":"t1","action":"echo","payload":{}}garbage""")]
    public async Task SubmitJob_InvalidUnicodeOrTrailingData_ValidationError(string body)
    {
        ApiResponse answer = await SubmitAsync(body, _app.TokenFor("alice"));

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains("VALIDATION_ERROR", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_InvalidUnicodeInArguments_ValidationErrorCompletion()
    {
        var upstream = new UpstreamCalls(_app, "conn-unicode");

        JsonElement submit = await upstream.InvokeAsync("alice", "submit", """{"requestId":"u1","action":"generate_report","payload":{"title":"\ud800"}}""");
        JsonElement cancel = await upstream.InvokeAsync("alice", "cancel", "\"j\\ud800\"");
        ApiResponse target = await upstream.CallAsync("messages", "x", """{"type":1,"invocationId":"1","target":"\ud800","arguments":[]}""", "alice");

        Assert.Equal("VALIDATION_ERROR", submit.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("VALIDATION_ERROR", cancel.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(400, target.StatusCode);
    }

    [Theory]
    [InlineData("far-expiry")]
    [InlineData("numeric-sub")]
    public async Task Token_FarExpiryOrNumericSub_Unauthorized(string kind)
    {
        DateTime now = _app.Time.GetUtcNow().UtcDateTime;
        string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "serverless-dev",
            Audience = "serverless",
            Claims = new Dictionary<string, object> { ["sub"] = kind == "numeric-sub" ? 12345 : "eve" },
            NotBefore = now,
            IssuedAt = now,
            Expires = kind == "far-expiry" ? now.AddYears(10) : now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestApp.SigningKey)), SecurityAlgorithms.HmacSha256),
        });

        Assert.Equal(401, (await SubmitAsync("""{"requestId":"r","action":"echo"}""", token)).StatusCode);
        Assert.Equal(200, (await SubmitAsync("""{"requestId":"r","action":"echo"}""", _app.TokenFor("eve"))).StatusCode);
    }

    [Fact]
    public async Task ApiResponseResult_WritesSecurityHeaders()
    {
        HttpRequest json = TestApp.Request("GET");
        HttpRequest html = TestApp.Request("GET");

        await new ApiResponseResult(new ApiResponse(200, "{}")).ExecuteResultAsync(new ActionContext { HttpContext = json.HttpContext });
        await new ApiResponseResult(new ApiResponse(200, "<p>x</p>", ContentType: "text/html; charset=utf-8")).ExecuteResultAsync(new ActionContext { HttpContext = html.HttpContext });

        Assert.Equal("nosniff", json.HttpContext.Response.Headers["X-Content-Type-Options"].ToString());
        Assert.Equal("no-store", json.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Contains("sandbox", html.HttpContext.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", html.HttpContext.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    private async Task<ApiResponse> SubmitAsync(string body, string token)
    {
        JobsFunctions functions = _app.Function<JobsFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await functions.SubmitJob(TestApp.Request("POST", token, body), _app.Durable, default));
        }
    }

    public void Dispose() => _app.Dispose();
}
