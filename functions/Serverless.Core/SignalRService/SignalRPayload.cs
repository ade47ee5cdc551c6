using System.Text.Json;
using Serverless.Core.Protocol;

namespace Serverless.Core.SignalRService;

/// <summary>The data-plane send body: <c>{"target": ..., "arguments": [...]}</c>.</summary>
internal static class SignalRPayload
{
    public static byte[] Create(string target, JobMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            JsonSerializer.Serialize(writer, message, ProtocolJson.Default.JobMessage);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
