using Microsoft.DurableTask;

namespace Serverless.Core.Jobs;

/// <summary>Registers the job orchestration and activities with a Durable Task worker.</summary>
internal static class DurableTaskRegistryExtensions
{
    public static DurableTaskRegistry AddJobTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<JobOrchestration>(JobTaskNames.Orchestration)
            .AddActivity<RunStageActivity>(JobTaskNames.RunStage)
            .AddActivity<FinishJobActivity>(JobTaskNames.FinishJob);
    }
}
