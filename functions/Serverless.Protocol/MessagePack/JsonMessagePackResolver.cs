using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MessagePack;
using MessagePack.Formatters;

namespace Serverless.Protocol.MessagePack;

/// <summary>
/// Formats every value through its JSON form (<see cref="MessagePackJson"/>): the same names, the same omitted nulls
/// and the same validation as the JSON hub protocol, from the one serializer configuration (<see cref="ProtocolJson"/>).
/// </summary>
internal sealed class JsonMessagePackResolver : IFormatterResolver
{
    public static readonly JsonMessagePackResolver Instance = new();

    // The protocol's types from the source-generated context; anything else (a client's string or long argument) by reflection.
    private static readonly JsonSerializerOptions Json = new(ProtocolJson.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ProtocolJson.Default, new DefaultJsonTypeInfoResolver()),
    };

    private JsonMessagePackResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => Formatter<T>.Instance;

    private sealed class Formatter<T> : IMessagePackFormatter<T>
    {
        public static readonly Formatter<T> Instance = new();

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
            MessagePackJson.Write(ref writer, value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, Json.GetTypeInfo(typeof(T))));

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            JsonElement element = MessagePackJson.Read(ref reader, options);
            try
            {
                return element is T same ? same : (T)element.Deserialize(Json.GetTypeInfo(typeof(T)))!;
            }
            catch (JsonException ex)
            {
                throw new MessagePackSerializationException($"The value is not a {typeof(T).Name}: {ex.Message}", ex);
            }
        }
    }
}
