using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

/// <summary>The upstream endpoint, called the way Azure SignalR Service calls it (signature per concept-upstream).</summary>
public sealed class UpstreamFunctionTests : IDisposable
{
    private const string ConnectionId = "conn-42";
    private readonly TestApp _app = new();

    [Fact]
    public async Task Connected_ValidSignature_Ok()
    {
        ApiResponse answer = await CallAsync("connections", "connected", body: "{}");

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("", answer.Body);
    }

    [Fact]
    public async Task Disconnected_ValidSignature_Ok()
    {
        Assert.Equal(200, (await CallAsync("connections", "disconnected", body: """{"error":""}""")).StatusCode);
    }

    [Fact]
    public async Task Call_SignedWithWrongKey_Unauthorized()
    {
        ApiResponse answer = await CallAsync("connections", "connected", "{}", signature: Sign("not-the-access-key-0123456789-0123456789"));

        Assert.Equal(401, answer.StatusCode);
        Assert.Contains("UNAUTHORIZED", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_SignedWithSecondaryKeyOnly_Ok()
    {
        Assert.Equal(200, (await CallAsync("connections", "connected", "{}", signature: Sign(TestApp.SecondaryAccessKey))).StatusCode);
    }

    [Fact]
    public async Task Call_BothKeysSigned_OkWhicheverMatches()
    {
        string header = Sign("old-rotated-away-key-0123456789-0123456789") + "," + Sign(TestApp.AccessKey);

        Assert.Equal(200, (await CallAsync("connections", "connected", "{}", signature: header)).StatusCode);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Call_MissingHeaders_Unauthorized(bool withSignature, bool withConnectionId)
    {
        var headers = new Dictionary<string, string>();
        if (withSignature)
        {
            headers[UpstreamHeaders.Signature] = Sign(TestApp.AccessKey);
        }

        if (withConnectionId)
        {
            headers[UpstreamHeaders.ConnectionId] = ConnectionId;
        }

        Assert.Equal(401, (await CallRawAsync("jobs", "connections", "connected", "{}", headers)).StatusCode);
    }

    [Fact]
    public async Task Call_UnknownHub_NotFound()
    {
        Assert.Equal(404, (await CallRawAsync("chat", "connections", "connected", "{}", SignedHeaders("alice"))).StatusCode);
    }

    [Fact]
    public async Task Call_HeadersDisagreeWithRoute_HeadersWin()
    {
        // An upstream URL template without {category}/{event} still works: the service always sends the headers.
        Dictionary<string, string> headers = SignedHeaders("alice");
        headers[UpstreamHeaders.Category] = "messages";
        headers[UpstreamHeaders.Event] = "explode";

        ApiResponse answer = await InvokeAsync(headers, Invocation("explode"), routeHub: "other", routeCategory: "connections", routeEvent: "connected");

        Assert.Contains("Unknown method 'explode'", Completion(answer).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_NoHeaders_RouteValuesAreTheFallback()
    {
        Dictionary<string, string> headers = SignedHeaders("alice");
        headers.Remove(UpstreamHeaders.Hub);

        ApiResponse answer = await InvokeAsync(headers, Invocation("explode"), routeHub: "jobs", routeCategory: "messages", routeEvent: "explode");

        Assert.Contains("Unknown method 'explode'", Completion(answer).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_HubHeaderNamesAnotherHub_NotFoundWhateverTheRoute()
    {
        Dictionary<string, string> headers = SignedHeaders("alice");
        headers[UpstreamHeaders.Hub] = "chat";
        headers[UpstreamHeaders.Category] = "connections";
        headers[UpstreamHeaders.Event] = "connected";

        Assert.Equal(404, (await InvokeAsync(headers, "{}", routeHub: "jobs", routeCategory: "connections", routeEvent: "connected")).StatusCode);
    }

    [Fact]
    public async Task Call_NeitherHeadersNorRoute_BadRequest()
    {
        Dictionary<string, string> headers = SignedHeaders("alice");
        headers.Remove(UpstreamHeaders.Hub);

        ApiResponse answer = await InvokeAsync(headers, "{}", routeHub: "", routeCategory: "", routeEvent: "");

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains(UpstreamHeaders.Hub, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_MixedCaseConfiguredHub_MatchesTheServicesLowerCaseName()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["SignalR:HubName"] = "JobsHub" });
        Dictionary<string, string> headers = SignedHeaders("alice");
        headers[UpstreamHeaders.Hub] = "jobshub";
        headers[UpstreamHeaders.Category] = "connections";
        headers[UpstreamHeaders.Event] = "connected";

        Assert.Equal(200, (await InvokeAsync(headers, "{}", "jobshub", "connections", "connected", app)).StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":3,"invocationId":"1","result":1}""")]
    [InlineData("""{"type":1,"invocationId":"1","arguments":[]}""")]
    [InlineData("""{"type":1,"invocationId":"1","target":"submit","arguments":{}}""")]
    [InlineData("[1,2]")]
    public async Task Invocation_MalformedBody_BadRequestWithTypedError(string body)
    {
        ApiResponse answer = await CallAsync("messages", "submit", body);

        Assert.Equal(400, answer.StatusCode);
        using JsonDocument error = JsonDocument.Parse(answer.Body);
        Assert.Equal("VALIDATION_ERROR", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invocation_WithoutUser_Unauthorized()
    {
        ApiResponse answer = await CallAsync("messages", "submit", Invocation("submit", "{}"), userId: null);

        Assert.Equal(401, answer.StatusCode);
    }

    [Fact]
    public async Task Invocation_UnknownTarget_CompletionWithError()
    {
        JsonElement completion = Completion(await CallAsync("messages", "explode", Invocation("explode")));

        Assert.Equal(3, completion.GetProperty("type").GetInt32());
        Assert.Equal("7", completion.GetProperty("invocationId").GetString());
        Assert.Contains("Unknown method 'explode'", completion.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(completion.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Invocation_WrongArgumentCount_CompletionWithError()
    {
        JsonElement completion = Completion(await CallAsync("messages", "resume", Invocation("resume", "\"j1\"")));

        Assert.Contains("argument", completion.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SyncAction_CompletesWithResult()
    {
        string request = """{"requestId":"r-1","action":"echo","payload":{"hello":"world"}}""";

        JsonElement completion = Completion(await CallAsync("messages", "submit", Invocation("submit", request) + "\u001e"));

        JsonElement result = completion.GetProperty("result");
        Assert.Equal("result", result.GetProperty("type").GetString());
        Assert.True(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Submit_AsyncAction_AcceptsAndSchedulesForTheUpstreamUser()
    {
        string request = """{"requestId":"r-2","action":"simulate","payload":{"durationMs":60000}}""";

        JsonElement result = Completion(await CallAsync("messages", "submit", Invocation("submit", request))).GetProperty("result");

        Assert.Equal("accepted", result.GetProperty("type").GetString());
        string jobId = result.GetProperty("jobId").GetString()!;
        Assert.True(_app.Durable.Scheduled.ContainsKey(jobId));
        Assert.Equal("alice", (await _app.Store.GetAsync(jobId, CancellationToken.None))!.OwnerId);
    }

    [Fact]
    public async Task Submit_InvalidRequest_CompletesWithTypedError()
    {
        JsonElement result = Completion(await CallAsync("messages", "submit", Invocation("submit", "42"))).GetProperty("result");

        Assert.Equal("error", result.GetProperty("type").GetString());
        Assert.Equal("VALIDATION_ERROR", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(33)]
    [InlineData(60)]
    public async Task Submit_PayloadTooDeepForTheProtocol_CompletesWithValidationError_AsTheLocalHubAnswers(int depth)
    {
        string request = $$"""{"requestId":"deep","action":"echo","payload":{{new string('[', depth) + new string(']', depth)}}}""";

        ApiResponse answer = await CallAsync("messages", "submit", Invocation("submit", request));

        Assert.Equal(200, answer.StatusCode);
        JsonElement result = Completion(answer).GetProperty("result");
        Assert.Equal("VALIDATION_ERROR", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Submit_PayloadOverTheCapWithinAHubMessage_CompletesWithPayloadTooLarge_AsTheLocalHubAnswers()
    {
        string request = $$"""{"requestId":"big","action":"echo","payload":"{{new string('z', 200_000)}}"}""";

        ApiResponse answer = await CallAsync("messages", "submit", Invocation("submit", request));

        Assert.Equal(200, answer.StatusCode);
        JsonElement result = Completion(answer).GetProperty("result");
        Assert.Equal("PAYLOAD_TOO_LARGE", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task CancelAndResume_ForeignJob_NotFound()
    {
        string request = """{"requestId":"r-3","action":"simulate","payload":{"durationMs":60000}}""";
        string jobId = Completion(await CallAsync("messages", "submit", Invocation("submit", request))).GetProperty("result").GetProperty("jobId").GetString()!;

        // Mallory on her own connection (on alice's, her user id would be refused before any lookup).
        var mallory = new UpstreamCalls(_app, "conn-mallory");
        JsonElement cancel = await mallory.InvokeAsync("mallory", "cancel", $"\"{jobId}\"");
        JsonElement resume = await mallory.InvokeAsync("mallory", "resume", $"\"{jobId}\",0");

        Assert.Equal("NOT_FOUND", cancel.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("NOT_FOUND", Assert.Single(resume.EnumerateArray()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task CancelAndResume_OwnJob_AnswerStatusAndEvents()
    {
        string request = """{"requestId":"r-4","action":"simulate","payload":{"durationMs":60000}}""";
        string jobId = Completion(await CallAsync("messages", "submit", Invocation("submit", request))).GetProperty("result").GetProperty("jobId").GetString()!;

        JsonElement cancel = Completion(await CallAsync("messages", "cancel", Invocation("cancel", $"\"{jobId}\""))).GetProperty("result");
        JsonElement resume = Completion(await CallAsync("messages", "resume", Invocation("resume", $"\"{jobId}\",0"))).GetProperty("result");

        Assert.Equal("status", cancel.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Array, resume.ValueKind);
        Assert.True((await _app.Store.GetAsync(jobId, CancellationToken.None))!.CancelRequested);
    }

    [Fact]
    public async Task Invocation_WithoutInvocationId_OkWithoutBody()
    {
        string body = """{"type":1,"target":"submit","arguments":[{"requestId":"r-5","action":"echo","payload":{}}]}""";

        ApiResponse answer = await CallAsync("messages", "submit", body);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("", answer.Body);
    }

    private static string Invocation(string target, string arguments = "") =>
        $$"""{"type":1,"invocationId":"7","target":"{{target}}","arguments":[{{arguments}}]}""";

    private static JsonElement Completion(ApiResponse answer)
    {
        Assert.Equal(200, answer.StatusCode);
        Assert.EndsWith("\u001e", answer.Body, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(answer.Body.TrimEnd('\u001e'));
        Assert.Equal(3, document.RootElement.GetProperty("type").GetInt32());
        return document.RootElement.Clone();
    }

    /// <summary>As concept-upstream specifies: hex(HMAC-SHA256(accessKey, connectionId)), prefixed with sha256=.</summary>
    private static string Sign(string accessKey) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.UTF8.GetBytes(ConnectionId)));

    private static Dictionary<string, string> SignedHeaders(string? userId, string? signature = null)
    {
        var headers = new Dictionary<string, string>
        {
            [UpstreamHeaders.ConnectionId] = ConnectionId,
            [UpstreamHeaders.Signature] = signature ?? Sign(TestApp.AccessKey),
            [UpstreamHeaders.Hub] = "jobs",
        };
        if (userId is not null)
        {
            headers[UpstreamHeaders.UserId] = userId;
        }

        return headers;
    }

    private Task<ApiResponse> CallAsync(string category, string eventName, string body, string? userId = "alice", string? signature = null) =>
        CallRawAsync("jobs", category, eventName, body, SignedHeaders(userId, signature));

    private async Task<ApiResponse> InvokeAsync(
        Dictionary<string, string> headers, string body, string routeHub, string routeCategory, string routeEvent, TestApp? app = null, string? contentType = null)
    {
        SignalRFunctions functions = (app ?? _app).Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            HttpRequest request = TestApp.Request("POST", body: body, headers: headers);
            request.ContentType = contentType ?? "application/json";
            return TestApp.Answer(await functions.SignalRUpstream(request, routeHub, routeCategory, routeEvent, (app ?? _app).Durable, CancellationToken.None));
        }
    }

    private async Task<ApiResponse> CallRawAsync(string hub, string category, string eventName, string body, Dictionary<string, string> headers)
    {
        headers[UpstreamHeaders.Hub] = hub;
        headers[UpstreamHeaders.Category] = category;
        headers[UpstreamHeaders.Event] = eventName;
        SignalRFunctions functions = _app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await functions.SignalRUpstream(
                TestApp.Request("POST", body: body, headers: headers), hub, category, eventName, _app.Durable, CancellationToken.None));
        }
    }

    public void Dispose() => _app.Dispose();
}
