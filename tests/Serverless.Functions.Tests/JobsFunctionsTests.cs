using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

public sealed class JobsFunctionsTests : IDisposable
{
    private const string AsyncRequest = """{"requestId":"r-1","action":"simulate","payload":{"durationMs":60000}}""";
    private readonly TestApp _app = new();

    [Fact]
    public async Task EveryRoute_NoToken_Unauthorized()
    {
        ApiResponse[] answers =
        [
            await CallAsync((f, r) => f.SubmitJob(r, _app.Durable, default), TestApp.Request("POST", body: AsyncRequest)),
            await CallAsync((f, r) => f.GetJob(r, "j1", default), TestApp.Request("GET")),
            await CallAsync((f, r) => f.GetJobEvents(r, "j1", default), TestApp.Request("GET")),
            await CallAsync((f, r) => f.CancelJob(r, "j1", default), TestApp.Request("POST")),
            await CallAsync((f, r) => f.ListJobs(r, default), TestApp.Request("GET")),
        ];

        Assert.All(answers, a => Assert.Equal(401, a.StatusCode));
    }

    [Fact]
    public async Task SubmitJob_SyncAction_OkWithResult()
    {
        ApiResponse answer = await SubmitAsync("""{"requestId":"r-echo","action":"echo","payload":{"a":1}}""");

        Assert.Equal(200, answer.StatusCode);
        Assert.Contains("\"ok\":true", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitJob_AsyncAction_AcceptedWithLocationAndScheduled()
    {
        ApiResponse answer = await SubmitAsync(AsyncRequest);

        Assert.Equal(202, answer.StatusCode);
        string jobId = JobIdOf(answer);
        Assert.Equal($"/api/jobs/{jobId}", answer.Location);
        Assert.True(_app.Durable.Scheduled.ContainsKey(jobId));
    }

    [Fact]
    public async Task SubmitJob_BodyTooLarge_PayloadTooLarge()
    {
        string body = "{\"requestId\":\"r-big\",\"action\":\"echo\",\"payload\":{\"x\":\"" + new string('x', 200_000) + "\"}}";

        ApiResponse answer = await SubmitAsync(body);

        Assert.Equal(413, answer.StatusCode);
        Assert.Contains("PAYLOAD_TOO_LARGE", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitJob_MalformedBody_BadRequest()
    {
        Assert.Equal(400, (await SubmitAsync("{nope")).StatusCode);
    }

    [Fact]
    public async Task OwnJob_GetEventsListCancel_Answer()
    {
        string token = _app.TokenFor("alice");
        string jobId = JobIdOf(await SubmitAsync(AsyncRequest, token));

        ApiResponse get = await CallAsync((f, r) => f.GetJob(r, jobId, default), TestApp.Request("GET", token));
        ApiResponse events = await CallAsync((f, r) => f.GetJobEvents(r, jobId, default), TestApp.Request("GET", token, query: "?afterSeq=0"));
        ApiResponse list = await CallAsync((f, r) => f.ListJobs(r, default), TestApp.Request("GET", token, query: "?status=queued&limit=5"));
        ApiResponse cancel = await CallAsync((f, r) => f.CancelJob(r, jobId, default), TestApp.Request("POST", token));

        Assert.Equal(200, get.StatusCode);
        Assert.Equal(200, events.StatusCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(events.Body).RootElement.ValueKind);
        Assert.Equal(200, list.StatusCode);
        Assert.Contains(jobId, list.Body, StringComparison.Ordinal);
        Assert.Equal(202, cancel.StatusCode);
    }

    [Fact]
    public async Task ForeignJob_NotFound()
    {
        string jobId = JobIdOf(await SubmitAsync(AsyncRequest, _app.TokenFor("alice")));

        ApiResponse get = await CallAsync((f, r) => f.GetJob(r, jobId, default), TestApp.Request("GET", _app.TokenFor("mallory")));

        Assert.Equal(404, get.StatusCode);
    }

    [Fact]
    public async Task GetJobEvents_BadAfterSeq_BadRequest()
    {
        ApiResponse answer = await CallAsync((f, r) => f.GetJobEvents(r, "j1", default), TestApp.Request("GET", _app.TokenFor("alice"), query: "?afterSeq=-1"));

        Assert.Equal(400, answer.StatusCode);
    }

    [Fact]
    public async Task ApiResponseResult_WritesStatusHeadersAndBody()
    {
        var response = new ApiResponse(503, """{"type":"error"}""", Location: "/api/jobs/j1", RetryAfter: TimeSpan.FromMilliseconds(1500));
        HttpRequest request = TestApp.Request("GET");

        await new ApiResponseResult(response).ExecuteResultAsync(new ActionContext { HttpContext = request.HttpContext });

        HttpResponse http = request.HttpContext.Response;
        Assert.Equal(503, http.StatusCode);
        Assert.Equal("2", http.Headers.RetryAfter.ToString());
        Assert.Equal("/api/jobs/j1", http.Headers.Location.ToString());
        http.Body.Position = 0;
        Assert.Equal("""{"type":"error"}""", await new StreamReader(http.Body).ReadToEndAsync());
    }

    private Task<ApiResponse> SubmitAsync(string body, string? token = null) =>
        CallAsync((f, r) => f.SubmitJob(r, _app.Durable, default), TestApp.Request("POST", token ?? _app.TokenFor("alice"), body));

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
