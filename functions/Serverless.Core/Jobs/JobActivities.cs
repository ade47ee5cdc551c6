using Microsoft.DurableTask;

namespace Serverless.Core.Jobs;

/// <summary>The <see cref="JobTaskNames.RunStage"/> activity for hosts that use class-based Durable tasks.</summary>
internal sealed class RunStageActivity(StageRunner runner) : TaskActivity<StageInput, StageResult>
{
    public override Task<StageResult> RunAsync(TaskActivityContext context, StageInput input) =>
        runner.RunAsync(input, CancellationToken.None);
}

/// <summary>The <see cref="JobTaskNames.FinishJob"/> activity for hosts that use class-based Durable tasks.</summary>
internal sealed class FinishJobActivity(JobFinisher finisher) : TaskActivity<FinishInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FinishInput input)
    {
        await finisher.FinishAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
