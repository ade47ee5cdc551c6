using System.Buffers;
using System.Text.Json;

namespace Serverless.Core.Progress;

/// <summary>The server's own progress metadata (a flat object of strings), written directly: progress knows nothing of the handlers' JSON.</summary>
internal static class MetadataJson
{
    public static JsonElement Of(params ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach ((string key, string value) in pairs)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
