using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Protocol;

namespace Serverless.Core.SignalRService;

/// <summary>The data-plane send body: <c>{"target": ..., "arguments": [...]}</c>.</summary>
internal static class SignalRPayload
{
    public static byte[] Create(string target, JobMessage message) => Create(target, message, ProtocolJson.Default.JobMessage);

    public static byte[] Create<T>(string target, T argument, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            JsonSerializer.Serialize(writer, argument, typeInfo);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
