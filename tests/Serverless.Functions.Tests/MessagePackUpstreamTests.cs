using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

/// <summary>
/// Upstream calls from MessagePack clients (<c>application/x-msgpack</c>, the message without its length prefix): served
/// like JSON ones and answered with a framed completion that the real MessagePack hub protocol reads, its result the
/// protocol's message as a map (read here with the package's default options, as any MessagePack client would).
/// </summary>
public sealed class MessagePackUpstreamTests : IDisposable
{
    private const string ConnectionId = "conn-mp";
    private readonly TestApp _app = new();
    private readonly MessagePackHubProtocol _protocol = new();

    [Theory]
    [InlineData("7")]
    [InlineData("an-invocation-id-longer-than-thirty-one-bytes-0123456789")]
    public async Task Invocation_SyncSubmit_CompletionWithTheResultAsAMap(string invocationId)
    {
        byte[] body = Unframed(new InvocationMessage(invocationId, "submit", [Request("r-1", "echo", new Dictionary<string, object> { ["hello"] = "msgpack" })]));

        ApiResponse answer = await CallAsync(body, "application/x-msgpack");

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("application/x-msgpack", answer.ContentType);
        CompletionMessage completion = ReadCompletion(answer);
        Assert.Equal(invocationId, completion.InvocationId);
        Assert.Null(completion.Error);
        var result = Assert.IsAssignableFrom<IDictionary<object, object>>(completion.Result);
        Assert.Equal("result", result["type"]);
        Assert.Equal(true, result["ok"]);
        Assert.Equal("msgpack", Assert.IsAssignableFrom<IDictionary<object, object>>(result["data"])["hello"]);
        Assert.DoesNotContain("error", result.Keys);
    }

    [Fact]
    public async Task Invocation_AsyncSubmit_AcceptedAndScheduled()
    {
        byte[] body = Unframed(new InvocationMessage("1", "submit", [Request("r-2", "simulate", new Dictionary<string, object> { ["durationMs"] = 100 })]));

        var result = (IDictionary<object, object>)ReadCompletion(await CallAsync(body, "application/x-msgpack")).Result!;

        Assert.Equal("accepted", result["type"]);
        Assert.Equal("async", result["mode"]);
        Assert.Single(_app.Durable.Scheduled);
    }

    [Fact]
    public async Task Invocation_WrongArgument_TypedValidationErrorAsOverJson()
    {
        var result = (IDictionary<object, object>)ReadCompletion(await CallAsync(Unframed(new InvocationMessage("3", "submit", [42])), "application/x-msgpack")).Result!;

        Assert.Equal("error", result["type"]);
        Assert.Equal("VALIDATION_ERROR", ((IDictionary<object, object>)result["error"])["code"]);
        Assert.Empty(_app.Durable.Scheduled);
    }

    [Fact]
    public async Task Invocation_Resume_AnArrayOfMessages()
    {
        var result = ReadCompletion(await CallAsync(Unframed(new InvocationMessage("4", "resume", ["jffffffffffffffffffffffffffffffff", 0])), "application/x-msgpack")).Result;

        var messages = Assert.IsType<object[]>(result);
        Assert.Equal("NOT_FOUND", ((IDictionary<object, object>)((IDictionary<object, object>)Assert.Single(messages))["error"])["code"]);
    }

    [Fact]
    public async Task Invocation_UnknownMethod_CompletionError()
    {
        CompletionMessage completion = ReadCompletion(await CallAsync(Unframed(new InvocationMessage("5", "launch", [1])), "application/x-msgpack"));

        Assert.Contains("Unknown method 'launch'", completion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invocation_WithHeaders_StillReadsTheInvocationId()
    {
        var invocation = new InvocationMessage("42", "cancel", ["j1"]) { Headers = new Dictionary<string, string> { ["trace"] = "abc", ["tenant"] = "t" } };

        ApiResponse answer = await CallAsync(Unframed(invocation), "application/x-msgpack");

        Assert.Equal("42", ReadCompletion(answer).InvocationId);
    }

    [Fact]
    public async Task Invocation_NonBlocking_OkWithoutBody()
    {
        ApiResponse answer = await CallAsync(Unframed(new InvocationMessage("submit", [1])), "application/x-msgpack");

        Assert.Equal(200, answer.StatusCode);
        Assert.Null(answer.BinaryBody);
        Assert.Equal("", answer.Body);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x93, 0x01, 0x80 })]
    [InlineData(new byte[] { 0x95, 0x03, 0x80, 0xa1, 0x37, 0x01 })]
    [InlineData(new byte[] { 0x95, 0x01, 0x80, 0xa9, 0x37 })]
    [InlineData(new byte[] { 0x95, 0x01, 0x80, 0xa1, 0x37, 0xa6, 0x73, 0x75, 0x62, 0x6d, 0x69, 0x74, 0x91, 0x81, 0x01, 0x02 })] // a map key that is no string
    [InlineData(new byte[] { 0x95, 0x01, 0x80, 0xa1, 0x37, 0xa6, 0x73, 0x75, 0x62, 0x6d, 0x69, 0x74, 0x91, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 })] // NaN
    public async Task Invocation_Malformed_BadRequestWithTypedError(byte[] body)
    {
        ApiResponse answer = await CallAsync(body, "application/x-msgpack");

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains("VALIDATION_ERROR", answer.Body, StringComparison.Ordinal);
        Assert.Empty(_app.Durable.Scheduled);
    }

    [Fact]
    public async Task Invocation_NestedDeeperThanTheLimit_BadRequestWithTypedError()
    {
        // [1, {}, "7", "submit", [[[[…nil…]]]]]: 1,000 arrays deep.
        byte[] body = [0x95, 0x01, 0x80, 0xa1, 0x37, 0xa6, .. "submit"u8, 0x91, .. Enumerable.Repeat((byte)0x91, 1000), 0xc0];

        ApiResponse answer = await CallAsync(body, "application/x-msgpack");

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains("VALIDATION_ERROR", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invocation_UnknownContentType_UnsupportedMediaType()
    {
        ApiResponse answer = await CallAsync(Encoding.UTF8.GetBytes("<invoke/>"), "application/xml");

        Assert.Equal(415, answer.StatusCode);
        Assert.Contains("application/xml", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiResponseResult_WritesTheBinaryCompletionByteForByte()
    {
        ApiResponse answer = await CallAsync(Unframed(new InvocationMessage("9", "submit", [1])), "application/x-msgpack");
        var http = new DefaultHttpContext();
        var output = new MemoryStream();
        http.Response.Body = output;

        await new ApiResponseResult(answer).ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext { HttpContext = http });

        Assert.Equal(answer.BinaryBody!.Value.ToArray(), output.ToArray());
        Assert.Equal("application/x-msgpack", http.Response.ContentType);
    }

    private CompletionMessage ReadCompletion(ApiResponse answer)
    {
        var input = new ReadOnlySequence<byte>(answer.BinaryBody!.Value);
        Assert.True(_protocol.TryParseMessage(ref input, new ObjectResultBinder(), out HubMessage? message));
        Assert.True(input.IsEmpty, "exactly one framed message");
        return Assert.IsType<CompletionMessage>(message);
    }

    private static Dictionary<string, object> Request(string requestId, string action, Dictionary<string, object> payload) =>
        new() { ["requestId"] = requestId, ["action"] = action, ["payload"] = payload };

    // The service forwards a MessagePack client's message without the protocol's length prefix.
    private byte[] Unframed(HubMessage message)
    {
        ReadOnlySpan<byte> framed = _protocol.GetMessageBytes(message).Span;
        int prefix = 0;
        while ((framed[prefix] & 0x80) != 0)
        {
            prefix++;
        }

        return framed[(prefix + 1)..].ToArray();
    }

    private async Task<ApiResponse> CallAsync(byte[] body, string contentType)
    {
        var headers = new Dictionary<string, string>
        {
            [UpstreamHeaders.ConnectionId] = ConnectionId,
            [UpstreamHeaders.Signature] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestApp.AccessKey), Encoding.UTF8.GetBytes(ConnectionId))),
            [UpstreamHeaders.Hub] = "jobs",
            [UpstreamHeaders.Category] = "messages",
            [UpstreamHeaders.Event] = "submit",
            [UpstreamHeaders.UserId] = "alice",
        };
        SignalRFunctions functions = _app.Function<SignalRFunctions>(out IServiceScope scope);
        using (scope)
        {
            HttpRequest request = TestApp.Request("POST", headers: headers);
            request.Body = new MemoryStream(body);
            request.ContentLength = body.Length;
            request.ContentType = contentType;
            return TestApp.Answer(await functions.SignalRUpstream(request, "jobs", "messages", "submit", _app.Durable, CancellationToken.None));
        }
    }

    public void Dispose() => _app.Dispose();

    private sealed class ObjectResultBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
