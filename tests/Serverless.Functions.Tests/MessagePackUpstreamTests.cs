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
/// Upstream calls from MessagePack clients (<c>application/x-msgpack</c>, the message without its length prefix): the
/// hub speaks JSON only, so they get a completion with a typed error that the real MessagePack hub protocol reads.
/// </summary>
public sealed class MessagePackUpstreamTests : IDisposable
{
    private const string ConnectionId = "conn-mp";
    private readonly TestApp _app = new();
    private readonly MessagePackHubProtocol _protocol = new();

    [Theory]
    [InlineData("7")]
    [InlineData("an-invocation-id-longer-than-thirty-one-bytes-0123456789")]
    public async Task Invocation_MessagePackClient_CompletionWithTypedErrorInItsProtocol(string invocationId)
    {
        byte[] body = Unframed(new InvocationMessage(invocationId, "submit", [new Dictionary<string, object> { ["requestId"] = "r-1", ["action"] = "echo" }]));

        ApiResponse answer = await CallAsync(body, "application/x-msgpack");

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("application/x-msgpack", answer.ContentType);
        var input = new ReadOnlySequence<byte>(answer.BinaryBody!.Value);
        Assert.True(_protocol.TryParseMessage(ref input, new NoBinder(), out HubMessage? message));
        Assert.True(input.IsEmpty, "exactly one framed message");
        CompletionMessage completion = Assert.IsType<CompletionMessage>(message);
        Assert.Equal(invocationId, completion.InvocationId);
        Assert.StartsWith("VALIDATION_ERROR: ", completion.Error, StringComparison.Ordinal);
        Assert.Contains("JSON", completion.Error, StringComparison.Ordinal);
        Assert.Empty(_app.Durable.Scheduled);
    }

    [Fact]
    public async Task Invocation_MessagePackWithHeaders_StillReadsTheInvocationId()
    {
        var invocation = new InvocationMessage("42", "cancel", ["j1"]) { Headers = new Dictionary<string, string> { ["trace"] = "abc", ["tenant"] = "t" } };

        ApiResponse answer = await CallAsync(Unframed(invocation), "application/x-msgpack");

        var input = new ReadOnlySequence<byte>(answer.BinaryBody!.Value);
        Assert.True(_protocol.TryParseMessage(ref input, new NoBinder(), out HubMessage? message));
        Assert.Equal("42", Assert.IsType<CompletionMessage>(message).InvocationId);
    }

    [Fact]
    public async Task Invocation_MessagePackNonBlocking_OkWithoutBody()
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
    public async Task Invocation_MessagePackGarbage_UnsupportedMediaTypeWithTypedError(byte[] body)
    {
        ApiResponse answer = await CallAsync(body, "application/x-msgpack");

        Assert.Equal(415, answer.StatusCode);
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

    private sealed class NoBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
