using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Protocol;

namespace Serverless.EventStream;

/// <summary>Event data JSON in the protocol's style (camelCase, nulls omitted), source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobEventData))]
[JsonSerializable(typeof(JobError))]
internal sealed partial class EventStreamJson : JsonSerializerContext
{
}
