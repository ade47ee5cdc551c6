using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Client;

/// <summary>The client's own HTTP replies, in the protocol's JSON style (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NegotiateReply))]
[JsonSerializable(typeof(DevelopmentToken))]
internal sealed partial class ClientJson : JsonSerializerContext
{
}
