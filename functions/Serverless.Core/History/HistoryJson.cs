using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core.History;

/// <summary>The history answer's serializer settings, as the protocol's: camelCase names, nulls omitted.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryPoint[]))]
internal sealed partial class HistoryJson : JsonSerializerContext
{
}
