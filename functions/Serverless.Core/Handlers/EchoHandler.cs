using System.Text.Json;

namespace Serverless.Core.Handlers;

/// <summary><c>echo</c> (sync): returns its payload unchanged.</summary>
internal sealed class EchoHandler : IJobHandler
{
    public string Action => "echo";

    public TimeSpan EstimatedDuration => TimeSpan.FromMilliseconds(1);

    private static readonly string[] Stages = ["echo"];

    public IReadOnlyList<string> GetStages(JsonElement payload) => Stages;

    public void ValidatePayload(JsonElement payload)
    {
    }

    public ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JsonElement?>(context.Payload.ValueKind == JsonValueKind.Undefined ? null : context.Payload);
}
