using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Cli.Commands;
using Serverless.Client;
using Serverless.Protocol;

namespace Serverless.Cli;

/// <summary>The CLI's --json output, in the protocol's JSON style (camelCase, nulls omitted), one object per line.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobView[]))]
[JsonSerializable(typeof(OperatorJobList))]
[JsonSerializable(typeof(OperatorControlsView))]
[JsonSerializable(typeof(DevelopmentToken))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(Capacity.CapacityPlan))]
[JsonSerializable(typeof(TailedEvent))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class CliJson : JsonSerializerContext
{
}
