using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

/// <summary>
/// Issue 13, finding 1: a token whose <c>sub</c> is <c>acme/alice</c> (no tenant) used to be tenant acme's alice.
/// It must see her jobs exactly as it sees unknown ones, over HTTP and over the upstream.
/// </summary>
public sealed class OwnerCollisionTests : IDisposable
{
    private const string Request = """{"requestId":"r-private","action":"simulate","payload":{"durationMs":60000}}""";
    private readonly TestApp _app = new();

    [Fact]
    public async Task HttpApi_SubPosingAsTenantUser_NotFoundLikeAnUnknownJob()
    {
        string jobId = JobIdOf(await CallAsync((f, r) => f.SubmitJob(r, _app.Durable, default), TestApp.Request("POST", _app.TokenFor("alice", "acme"), Request)));
        string attacker = _app.TokenFor("acme/alice");

        ApiResponse get = await CallAsync((f, r) => f.GetJob(r, jobId, default), TestApp.Request("GET", attacker));
        ApiResponse unknown = await CallAsync((f, r) => f.GetJob(r, "j0000000000000000000000000000000", default), TestApp.Request("GET", attacker));
        ApiResponse events = await CallAsync((f, r) => f.GetJobEvents(r, jobId, default), TestApp.Request("GET", attacker));
        ApiResponse cancel = await CallAsync((f, r) => f.CancelJob(r, jobId, default), TestApp.Request("POST", attacker));
        ApiResponse list = await CallAsync((f, r) => f.ListJobs(r, default), TestApp.Request("GET", attacker));

        Assert.Equal(404, get.StatusCode);
        Assert.Equal(unknown.Body, get.Body);
        Assert.Equal(404, events.StatusCode);
        Assert.Equal(404, cancel.StatusCode);
        Assert.Equal("[]", list.Body);
        Assert.False((await _app.Store.GetAsync(jobId, CancellationToken.None))!.CancelRequested);
    }

    [Fact]
    public async Task Upstream_UserIdOfTheSlashSub_NotFound_AndRawSlashUserId_Unauthorized()
    {
        string jobId = JobIdOf(await CallAsync((f, r) => f.SubmitJob(r, _app.Durable, default), TestApp.Request("POST", _app.TokenFor("alice", "acme"), Request)));

        // What negotiate issues for sub "acme/alice": its own owner, with none of acme's alice's jobs.
        JsonElement cancel = await new UpstreamCalls(_app, "conn-attacker").InvokeAsync("acme~2Falice", "cancel", $"\"{jobId}\"");
        ApiResponse legacyForm = await new UpstreamCalls(_app, "conn-legacy").CallAsync(
            "messages", "cancel", UpstreamCalls.Invocation("cancel", $"\"{jobId}\""), "acme/alice");
        JsonElement own = await new UpstreamCalls(_app, "conn-owner").InvokeAsync("acme~~alice", "cancel", $"\"{jobId}\"");

        Assert.Equal("NOT_FOUND", cancel.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(401, legacyForm.StatusCode);
        Assert.Equal("status", own.GetProperty("type").GetString());
    }

    private async Task<ApiResponse> CallAsync(Func<JobsFunctions, HttpRequest, Task<IActionResult>> call, HttpRequest request)
    {
        JobsFunctions functions = _app.Function<JobsFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await call(functions, request));
        }
    }

    private static string JobIdOf(ApiResponse answer) => JsonDocument.Parse(answer.Body).RootElement.GetProperty("jobId").GetString()!;

    public void Dispose() => _app.Dispose();
}
