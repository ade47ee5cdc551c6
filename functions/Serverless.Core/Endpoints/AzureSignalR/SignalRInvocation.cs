using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// An invocation message of a SignalR hub protocol, parsed here from JSON
/// (<c>{"type":1,"invocationId":"1","target":"submit","arguments":[...]}</c>) or by <see cref="MessagePackUpstream"/>.
/// </summary>
internal sealed record SignalRInvocation(string? InvocationId, string Target, IReadOnlyList<JsonElement> Arguments)
{
    /// <summary>Whether it came from a MessagePack client, which must be answered in MessagePack.</summary>
    public bool MessagePack { get; init; }

    /// <summary>The JSON hub protocol ends every message with this byte.</summary>
    public const byte RecordSeparator = 0x1E;

    private const int InvocationType = 1;

    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out SignalRInvocation? invocation, [NotNullWhen(false)] out string? error)
    {
        invocation = null;
        ReadOnlySpan<byte> json = body.TrimEnd(RecordSeparator);
        if (json.IndexOf(RecordSeparator) >= 0)
        {
            error = "One upstream request carries exactly one invocation message.";
            return false;
        }

        // As deep as the local hub's transport parses, so a request too deep for the protocol gets the router's typed
        // error in a completion, not a 400 the service turns into an untyped failed invocation.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = ProtocolLimits.MaxHubMessageDepth });
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON (byte {ex.BytePositionInLine ?? 0} of line {ex.LineNumber ?? 0}).";
            return false;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.Number
                || !type.TryGetInt32(out int typeValue) || typeValue != InvocationType)
            {
                error = "The body must be a SignalR invocation message (an object with \"type\": 1).";
                return false;
            }

            if (!root.TryGetProperty("target", out JsonElement target) || JsonText.TryGetString(target) is not { Length: > 0 } targetName)
            {
                error = "The invocation has no \"target\".";
                return false;
            }

            if (!root.TryGetProperty("arguments", out JsonElement arguments) || arguments.ValueKind != JsonValueKind.Array)
            {
                error = "The invocation's \"arguments\" must be an array.";
                return false;
            }

            string? invocationId = null;
            if (root.TryGetProperty("invocationId", out JsonElement id))
            {
                if (id.ValueKind != JsonValueKind.String)
                {
                    error = "\"invocationId\" must be a string.";
                    return false;
                }

                invocationId = JsonText.TryGetString(id);
                if (invocationId is null)
                {
                    error = "\"invocationId\" is not valid Unicode.";
                    return false;
                }
            }

            invocation = new SignalRInvocation(invocationId, targetName, [.. arguments.EnumerateArray().Select(a => a.Clone())]);
            error = null;
            return true;
        }
    }
}
