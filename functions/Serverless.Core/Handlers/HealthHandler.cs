using System.Text.Json;

namespace Serverless.Core.Handlers;

/// <summary><c>health</c> (sync): answers that the router is up, with the server time.</summary>
internal sealed class HealthHandler : IJobHandler
{
    public string Action => "health";

    public TimeSpan EstimatedDuration => TimeSpan.FromMilliseconds(1);

    private static readonly string[] Stages = ["health"];

    public IReadOnlyList<string> GetStages(JsonElement payload) => Stages;

    public void ValidatePayload(JsonElement payload)
    {
    }

    public ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        var reply = new Dictionary<string, string>
        {
            ["status"] = "healthy",
            ["at"] = context.TimeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        return ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(reply, HandlerJson.Default.DictionaryStringString));
    }
}
