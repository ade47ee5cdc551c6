using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Protocol;

/// <summary>The serializer settings of protocol v1: camelCase names, nulls omitted, source-generated.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = ProtocolLimits.MaxJsonDepth)]
[JsonSerializable(typeof(JobRequest))]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobMessage[]))]
[JsonSerializable(typeof(JobError))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobView[]))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(JobStatisticsSnapshot))]
[JsonSerializable(typeof(OperatorJobMessage))]
[JsonSerializable(typeof(OperatorJobList))]
[JsonSerializable(typeof(OperatorControlsView))]
[JsonSerializable(typeof(PushCircuitRequest))]
public sealed partial class ProtocolJson : JsonSerializerContext
{
}
