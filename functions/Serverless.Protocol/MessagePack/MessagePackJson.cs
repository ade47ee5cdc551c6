using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;

namespace Serverless.Protocol.MessagePack;

/// <summary>
/// The protocol's messages in MessagePack are their JSON documents written as MessagePack: objects as maps with string
/// keys, arrays as arrays, strings, integers, floats, booleans and nil as themselves. So docs/schemas define both
/// encodings and one JSON serializer decides every field. Reading also takes what MessagePack writers produce that JSON
/// has no word for: binary (as base64 text) and timestamps (as ISO 8601 text).
/// </summary>
internal static class MessagePackJson
{
    private const sbyte TimestampExtension = -1;

    public static void Write(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteMapHeader(element.EnumerateObject().Count());
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Write(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number when element.TryGetInt64(out long integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when element.TryGetUInt64(out ulong large):
                writer.Write(large);
                break;
            case JsonValueKind.Number:
                writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.Write(element.GetBoolean());
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>
    /// One MessagePack value as a JSON element; <see cref="MessagePackSerializationException"/> when it has no JSON form,
    /// is cut short or nests deeper than <paramref name="options"/>' security allows.
    /// </summary>
    public static JsonElement Read(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            try
            {
                Copy(ref reader, json, options);
            }
            catch (Exception ex) when (ex is EndOfStreamException or InsufficientExecutionStackException or ArgumentException or InvalidOperationException)
            {
                throw new MessagePackSerializationException($"The value is not valid MessagePack with a JSON form: {ex.Message}", ex);
            }
        }

        // As deep as the JSON hub protocol parses, so a request too deep for the protocol gets the router's typed error.
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = ProtocolLimits.MaxHubMessageDepth * 8 });
        return document.RootElement.Clone();
    }

    private static void Copy(ref MessagePackReader reader, Utf8JsonWriter json, MessagePackSerializerOptions options)
    {
        options.Security.DepthStep(ref reader);
        try
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Map:
                    int properties = reader.ReadMapHeader();
                    json.WriteStartObject();
                    for (int i = 0; i < properties; i++)
                    {
                        if (reader.NextMessagePackType != MessagePackType.String)
                        {
                            throw new MessagePackSerializationException($"A map key is {reader.NextMessagePackType}; the protocol's maps have string keys (JSON objects).");
                        }

                        json.WritePropertyName(reader.ReadString()!);
                        Copy(ref reader, json, options);
                    }

                    json.WriteEndObject();
                    break;
                case MessagePackType.Array:
                    int items = reader.ReadArrayHeader();
                    json.WriteStartArray();
                    for (int i = 0; i < items; i++)
                    {
                        Copy(ref reader, json, options);
                    }

                    json.WriteEndArray();
                    break;
                case MessagePackType.String:
                    json.WriteStringValue(reader.ReadString());
                    break;
                case MessagePackType.Integer:
                    if (reader.TryReadNil())
                    {
                        json.WriteNullValue();
                    }
                    else if (IsUnsigned(ref reader))
                    {
                        json.WriteNumberValue(reader.ReadUInt64());
                    }
                    else
                    {
                        json.WriteNumberValue(reader.ReadInt64());
                    }

                    break;
                case MessagePackType.Float:
                    double value = reader.ReadDouble();
                    if (!double.IsFinite(value))
                    {
                        throw new MessagePackSerializationException("NaN and infinity have no JSON form.");
                    }

                    json.WriteNumberValue(value);
                    break;
                case MessagePackType.Boolean:
                    json.WriteBooleanValue(reader.ReadBoolean());
                    break;
                case MessagePackType.Nil:
                    reader.ReadNil();
                    json.WriteNullValue();
                    break;
                case MessagePackType.Binary:
                    json.WriteBase64StringValue(reader.ReadBytes()!.Value.ToArray());
                    break;
                case MessagePackType.Extension when reader.CreatePeekReader().ReadExtensionFormatHeader().TypeCode == TimestampExtension:
                    json.WriteStringValue(reader.ReadDateTime().ToString("O", CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new MessagePackSerializationException($"A {reader.NextMessagePackType} value has no JSON form.");
            }
        }
        finally
        {
            reader.Depth--;
        }
    }

    // uint64 (0xcf) holds values above long.MaxValue; every other integer format fits a long.
    private static bool IsUnsigned(ref MessagePackReader reader) => reader.NextCode == MessagePackCode.UInt64;
}
