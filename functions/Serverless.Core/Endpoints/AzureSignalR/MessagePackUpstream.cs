using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Http;
using Serverless.Protocol.MessagePack;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// Upstream calls from MessagePack clients: the service forwards the invocation without its length prefix
/// (<c>[1, headers, invocationId, target, arguments]</c>) as <c>application/x-msgpack</c> and writes the answer to the
/// client as it is, so it must be a framed completion of the MessagePack hub protocol, written as the local hub writes it.
/// </summary>
internal static class MessagePackUpstream
{
    public const string ContentType = "application/x-msgpack";

    private const int InvocationType = 1;

    private static readonly MessagePackHubProtocol Protocol =
        new(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = ProtocolMessagePack.SerializerOptions }));

    /// <summary>Whether <paramref name="contentType"/> names the MessagePack hub protocol.</summary>
    public static bool IsMessagePack(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads an invocation; its arguments become the JSON elements a JSON client would have sent.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out SignalRInvocation? invocation, [NotNullWhen(false)] out string? error)
    {
        invocation = null;
        var reader = new MessagePackReader(body);
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() < 5
                || reader.NextMessagePackType != MessagePackType.Integer || reader.ReadInt32() != InvocationType)
            {
                error = "The body must be a SignalR MessagePack invocation: [1, headers, invocationId, target, arguments].";
                return false;
            }

            reader.Skip();
            string? invocationId = reader.TryReadNil() ? null : reader.ReadString();
            if (reader.ReadString() is not { Length: > 0 } target)
            {
                error = "The invocation has no target.";
                return false;
            }

            var arguments = new JsonElement[reader.ReadArrayHeader()];
            for (int i = 0; i < arguments.Length; i++)
            {
                arguments[i] = MessagePackJson.Read(ref reader, ProtocolMessagePack.SerializerOptions);
            }

            invocation = new SignalRInvocation(invocationId, target, arguments) { MessagePack = true };
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or InvalidOperationException)
        {
            error = $"The body is not a valid MessagePack invocation: {ex.Message}";
            return false;
        }
    }

    /// <summary>200 with a framed completion of <paramref name="invocationId"/> carrying <paramref name="result"/>.</summary>
    public static ApiResponse WithResult<T>(string invocationId, T result) => Answer(CompletionMessage.WithResult(invocationId, result));

    /// <summary>200 with a framed completion of <paramref name="invocationId"/> that failed with <paramref name="error"/>.</summary>
    public static ApiResponse WithError(string invocationId, string error) => Answer(CompletionMessage.WithError(invocationId, error));

    private static ApiResponse Answer(CompletionMessage completion) =>
        new(200, "", ContentType: ContentType) { BinaryBody = Protocol.GetMessageBytes(completion) };
}
