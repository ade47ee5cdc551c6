using System.Text.Json;
using Serverless.Core.Handlers;

namespace Serverless.Core.Tests.Events;

/// <summary>A three-stage job that reports progress 20 times per stage, a few milliseconds apart, like a real handler.</summary>
internal sealed class StagedTestHandler : IJobHandler
{
    public const string Name = "staged";
    private static readonly string[] Stages = ["extract", "transform", "load"];

    public string Action => Name;

    public TimeSpan EstimatedDuration => TimeSpan.FromMinutes(1);

    public IReadOnlyList<string> GetStages(JsonElement payload) => Stages;

    public void ValidatePayload(JsonElement payload)
    {
    }

    public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        for (int i = 1; i <= 20; i++)
        {
            await Task.Delay(5, cancellationToken);
            context.Progress.Report(i * 5, $"step {i}");
        }

        return JsonDocument.Parse("{\"ok\":true}").RootElement.Clone();
    }
}
