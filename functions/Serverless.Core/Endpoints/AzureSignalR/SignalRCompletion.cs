using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>A completion message of the SignalR JSON hub protocol (<c>type</c> 3), record separator included.</summary>
internal static class SignalRCompletion
{
    private const int CompletionType = 3;

    public static string WithResult<T>(string invocationId, T result, JsonTypeInfo<T> typeInfo) =>
        Write(invocationId, writer =>
        {
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
        });

    public static string WithError(string invocationId, string error) =>
        Write(invocationId, writer => writer.WriteString("error", error));

    private static string Write(string invocationId, Action<Utf8JsonWriter> writeOutcome)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", CompletionType);
            writer.WriteString("invocationId", invocationId);
            writeOutcome(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte(SignalRInvocation.RecordSeparator);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
