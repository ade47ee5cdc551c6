using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;

namespace Serverless.Functions.Tests.Infrastructure;

/// <summary>Upstream calls as Azure SignalR Service makes them, for one connection id: signed, with a user id.</summary>
internal sealed class UpstreamCalls(TestApp app, string connectionId = "conn-sec")
{
    public string ConnectionId { get; } = connectionId;

    public static string Invocation(string target, string arguments = "") =>
        $$"""{"type":1,"invocationId":"7","target":"{{target}}","arguments":[{{arguments}}]}""";

    /// <summary>As concept-upstream specifies: hex(HMAC-SHA256(accessKey, connectionId)), prefixed with sha256=.</summary>
    public string Signature => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestApp.AccessKey), Encoding.UTF8.GetBytes(ConnectionId)));

    public Task<ApiResponse> ConnectAsync(string userId) => CallAsync("connections", "connected", """{"type":10}""", userId);

    public Task<ApiResponse> DisconnectAsync(string userId) => CallAsync("connections", "disconnected", """{"Type":11}""", userId);

    /// <summary>An invocation with an id, answered with a completion: its result.</summary>
    public async Task<JsonElement> InvokeAsync(string userId, string target, string arguments)
    {
        ApiResponse answer = await CallAsync("messages", target, Invocation(target, arguments), userId);
        Assert.Equal(200, answer.StatusCode);
        using JsonDocument document = JsonDocument.Parse(answer.Body.TrimEnd('\u001e'));
        return document.RootElement.GetProperty("result").Clone();
    }

    public async Task<ApiResponse> CallAsync(string category, string eventName, string body, string? userId)
    {
        var headers = new Dictionary<string, string>
        {
            [UpstreamHeaders.ConnectionId] = ConnectionId,
            [UpstreamHeaders.Signature] = Signature,
            [UpstreamHeaders.Hub] = "jobs",
            [UpstreamHeaders.Category] = category,
            [UpstreamHeaders.Event] = eventName,
        };
        if (userId is not null)
        {
            headers[UpstreamHeaders.UserId] = userId;
        }

        SignalRFunctions functions = app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            return TestApp.Answer(await functions.SignalRUpstream(
                TestApp.Request("POST", body: body, headers: headers), "jobs", category, eventName, app.Durable, CancellationToken.None));
        }
    }
}
