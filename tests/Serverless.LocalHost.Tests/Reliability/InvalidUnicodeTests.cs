using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>
/// Issue 13, finding 4: an unpaired surrogate escape (or invalid UTF-8) in a request answered HTTP 500 and
/// aborted the hub connection. It is now a typed VALIDATION_ERROR and the connection carries on.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class InvalidUnicodeTests(LocalStackFixture stack)
{
    // JSON text: the backslash escapes stay escapes on the wire.
    private static readonly string[] Requests =
    [
        """{"requestId":"u1","action":"generate_report","payload":{"title":"\ud800"}}""",
        """{"requestId":"u2","action":"echo","payload":{"x":"a\udc00b"}}""",
        """{"requestId":"u3","action":"echo","payload":{"\ud800":1}}""",
        """{"requestId":"\ud800","action":"echo","payload":{}}""",
        """{"requestId":"u4","action":"\udfff\ud800","payload":{}}""",
        """{"requestId":"u5","action":"echo","payload":["ok","\ud83d"]}""",
        """{"requestId":"u6","action":"echo","priority":"\ud800"}""",
    ];

    public static TheoryData<string> BadRequests => [.. Requests];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Http_UnpairedSurrogateEscape_ValidationError(string request)
    {
        using HttpClient http = stack.Host.CreateHttpClient("unicode-user");

        HttpResponseMessage reply = await http.PostAsync("/api/jobs", new StringContent(request, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Fact]
    public async Task Http_InvalidUtf8Bytes_ValidationError()
    {
        using HttpClient http = stack.Host.CreateHttpClient("unicode-user");
        byte[] body = [.. "{\"requestId\":\"u7\",\"action\":\"echo\",\"payload\":{\"x\":\""u8, 0xED, 0xA0, 0x80, 0xFF, .. "\"}}"u8];

        HttpResponseMessage reply = await http.PostAsync("/api/jobs", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Fact]
    public async Task Hub_UnpairedSurrogatesAndInvalidUtf8_ValidationError_AndTheConnectionSurvives()
    {
        await using RawHubClient hub = await RawHubClient.ConnectAsync(stack.Host.BaseAddress, "/hubs/jobs", stack.Host.TokenFor("unicode-hub"));

        foreach (string request in Requests)
        {
            Assert.Equal(ErrorCodes.ValidationError, ErrorCode(await hub.InvokeAsync("Submit", request)));
        }

        JsonElement cancel = await hub.InvokeAsync("Cancel", "\"j\\ud800\"");
        JsonElement resume = await hub.InvokeAsync("Resume", "\"\\udc00\",0");
        JsonElement after = await hub.InvokeAsync("Submit", """{"requestId":"after-unicode","action":"echo","payload":{"ok":"\ud83d\ude00"}}""");

        Assert.Equal(ErrorCodes.ValidationError, ErrorCode(cancel));
        Assert.Equal(ErrorCodes.ValidationError, resume.GetProperty("result")[0].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("\ud83d\ude00", after.GetProperty("result").GetProperty("data").GetProperty("ok").GetString());
        Assert.Equal(WebSocketState.Open, hub.State);
    }

    [Fact]
    public async Task Hub_InvalidUtf8InATextFrame_ClosesThatConnectionOnly()
    {
        // RFC 6455 (8.1): an endpoint that receives invalid UTF-8 in a text frame fails the connection. The
        // transport does so before any hub code runs; the host and other connections carry on.
        await using RawHubClient bystander = await RawHubClient.ConnectAsync(stack.Host.BaseAddress, "/hubs/jobs", stack.Host.TokenFor("unicode-bystander"));
        await using RawHubClient hub = await RawHubClient.ConnectAsync(stack.Host.BaseAddress, "/hubs/jobs", stack.Host.TokenFor("unicode-raw"));
        byte[] invalidUtf8 = [.. "{\"type\":1,\"invocationId\":\"raw\",\"target\":\"Submit\",\"arguments\":[{\"requestId\":\"u8\",\"action\":\"echo\",\"payload\":\""u8, 0xC3, 0x28, .. "\"}]}"u8];

        await Assert.ThrowsAsync<HubClosedException>(() => hub.InvokeRawAsync(invalidUtf8, "raw"));
        JsonElement still = await bystander.InvokeAsync("Submit", """{"requestId":"bystander","action":"echo","payload":{}}""");

        Assert.True(still.GetProperty("result").GetProperty("ok").GetBoolean());
    }

    private static string? ErrorCode(JsonElement completion) =>
        completion.GetProperty("result").GetProperty("error").GetProperty("code").GetString();
}
