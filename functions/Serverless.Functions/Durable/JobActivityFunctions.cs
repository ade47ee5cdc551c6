using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Jobs;

namespace Serverless.Functions.Durable;

/// <summary>The job orchestration's activities; their bodies are Core's.</summary>
internal sealed class JobActivityFunctions(StageRunner runner, JobFinisher finisher)
{
    [Function(JobTaskNames.RunStage)]
    public Task<StageResult> RunStage([ActivityTrigger] StageInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(input, cancellationToken);

    [Function(JobTaskNames.FinishJob)]
    public Task FinishJob([ActivityTrigger] FinishInput input, CancellationToken cancellationToken) =>
        finisher.FinishAsync(input, cancellationToken);
}
