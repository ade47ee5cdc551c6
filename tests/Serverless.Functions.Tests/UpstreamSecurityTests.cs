using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

/// <summary>
/// Issue 13, finding 2: the upstream signature covers only the connection id, so one signed (connection id,
/// signature) pair let its holder act as any user. The function now needs a key, and the user id is bound to
/// the connection when it connects.
/// </summary>
public sealed class UpstreamSecurityTests : IDisposable
{
    private const string VictimRequest = """{"requestId":"r-victim","action":"simulate","payload":{"durationMs":60000}}""";
    private readonly TestApp _app = new();

    [Fact]
    public void SignalRUpstream_NeedsAFunctionKey_WhileClientRoutesStayTokenChecked()
    {
        Assert.Equal(AuthorizationLevel.Function, TriggerOf(typeof(SignalRFunctions), nameof(SignalRFunctions.SignalRUpstream)).AuthLevel);
        Assert.Equal(AuthorizationLevel.Anonymous, TriggerOf(typeof(SignalRFunctions), nameof(SignalRFunctions.Negotiate)).AuthLevel);
    }

    [Fact]
    public async Task Replay_SignedPairWithAnotherUserId_UnauthorizedAndNothingChanges()
    {
        var victim = new UpstreamCalls(_app, "conn-alice");
        var attacker = new UpstreamCalls(_app, "conn-mallory");
        Assert.Equal(200, (await victim.ConnectAsync("alice")).StatusCode);
        Assert.Equal(200, (await attacker.ConnectAsync("mallory")).StatusCode);
        string jobId = (await victim.InvokeAsync("alice", "submit", VictimRequest)).GetProperty("jobId").GetString()!;

        // Mallory's own signed pair, replayed with alice's user id.
        JsonElement cancel = await attacker.InvokeAsync("alice", "cancel", $"\"{jobId}\"");
        JsonElement resume = await attacker.InvokeAsync("alice", "resume", $"\"{jobId}\",0");
        JsonElement submit = await attacker.InvokeAsync("alice", "submit", """{"requestId":"r-forged","action":"simulate","payload":{"durationMs":60000}}""");

        Assert.Equal("UNAUTHORIZED", Code(cancel));
        Assert.Equal("UNAUTHORIZED", Code(Assert.Single(resume.EnumerateArray())));
        Assert.Equal("UNAUTHORIZED", Code(submit));
        Assert.False((await _app.Store.GetAsync(jobId, CancellationToken.None))!.CancelRequested);
        Assert.Single(_app.Durable.Scheduled);
        Assert.Equal("status", (await victim.InvokeAsync("alice", "cancel", $"\"{jobId}\"")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ConnectionStoreTimesOut_InvocationAnswersServiceUnavailable_EventAnswers503()
    {
        var connection = new UpstreamCalls(_app, "conn-timeout");
        Assert.Equal(200, (await connection.ConnectAsync("alice")).StatusCode);

        // A storage call's network timeout: a cancellation nobody asked for.
        _app.Connections.Failure = new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.");
        JsonElement submit = await connection.InvokeAsync("alice", "submit", VictimRequest);
        ApiResponse disconnect = await connection.DisconnectAsync("alice");
        _app.Connections.Failure = null;

        Assert.Equal("SERVICE_UNAVAILABLE", Code(submit));
        Assert.Equal(503, disconnect.StatusCode);
    }

    [Fact]
    public async Task ForgedConnectedEventForAnotherUser_Unauthorized()
    {
        var connection = new UpstreamCalls(_app, "conn-1");
        Assert.Equal(200, (await connection.ConnectAsync("mallory")).StatusCode);

        ApiResponse rebind = await connection.ConnectAsync("alice");
        ApiResponse foreignDisconnect = await connection.DisconnectAsync("alice");

        Assert.Equal(401, rebind.StatusCode);
        Assert.Equal(401, foreignDisconnect.StatusCode);
        Assert.Equal("UNAUTHORIZED", Code(await connection.InvokeAsync("alice", "cancel", "\"j1\"")));
    }

    [Fact]
    public async Task ClosedConnection_CannotBeReplayedOrBoundAgain()
    {
        var connection = new UpstreamCalls(_app, "conn-2");
        await connection.ConnectAsync("alice");
        Assert.Equal(200, (await connection.DisconnectAsync("alice")).StatusCode);

        JsonElement sameUser = await connection.InvokeAsync("alice", "cancel", "\"j1\"");
        ApiResponse reconnect = await connection.ConnectAsync("mallory");

        Assert.Equal("UNAUTHORIZED", Code(sameUser));
        Assert.Equal(401, reconnect.StatusCode);
    }

    [Fact]
    public async Task InvocationBeforeConnectedEvent_BindsTheConnectionToItsUser()
    {
        // Azure SignalR Service does not promise the connected event arrives first: the first signed call binds.
        var connection = new UpstreamCalls(_app, "conn-3");

        JsonElement first = await connection.InvokeAsync("alice", "cancel", "\"j1\"");
        ApiResponse laterConnected = await connection.ConnectAsync("alice");
        JsonElement other = await connection.InvokeAsync("mallory", "cancel", "\"j1\"");

        Assert.Equal("NOT_FOUND", Code(first));
        Assert.Equal(200, laterConnected.StatusCode);
        Assert.Equal("UNAUTHORIZED", Code(other));
    }

    private static string? Code(JsonElement reply) => reply.GetProperty("error").GetProperty("code").GetString();

    private static HttpTriggerAttribute TriggerOf(Type type, string method) =>
        type.GetMethod(method)!.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().Single();

    public void Dispose() => _app.Dispose();
}
