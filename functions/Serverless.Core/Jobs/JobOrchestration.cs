using Microsoft.DurableTask;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// Runs a job's stages in order, one activity each with the job's retry policy, passing each stage's output
/// to the next, then writes the terminal state once through <see cref="JobTaskNames.FinishJob"/>.
/// </summary>
public sealed class JobOrchestration : TaskOrchestrator<JobInput, string>
{
    // Writing the terminal state must outlive a storage outage: retry for several minutes.
    private static readonly TaskOptions FinishOptions = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 12, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public override async Task<string> RunAsync(TaskOrchestrationContext context, JobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        StageRetry retry = input.Retry;
        TaskOptions stageOptions = TaskOptions.FromRetryPolicy(new RetryPolicy(
            retry.MaxAttempts, retry.FirstRetryInterval, retry.BackoffCoefficient, retry.MaxRetryInterval));

        string? previous = null;
        for (int i = 0; i < input.Stages.Count; i++)
        {
            var stageInput = new StageInput(input.JobId, input.Action, input.PayloadJson, input.Stages, i, previous, input.TraceParent, input.Priority);
            StageResult result;
            try
            {
                result = await context.CallActivityAsync<StageResult>(JobTaskNames.RunStage, stageInput, stageOptions);
            }
            catch (TaskFailedException ex)
            {
                var error = new JobError(
                    ErrorCodes.HandlerFailed,
                    $"Stage '{input.Stages[i]}' failed after {retry.MaxAttempts} attempt(s): {ex.FailureDetails.ErrorMessage}");
                return await FinishAsync(context, new FinishInput(input.JobId, JobStatus.Failed, null, error, input.TraceParent));
            }

            if (result.Cancelled)
            {
                var error = new JobError(ErrorCodes.Cancelled, "The job was cancelled.");
                return await FinishAsync(context, new FinishInput(input.JobId, JobStatus.Cancelled, null, error, input.TraceParent));
            }

            previous = result.OutputJson;
        }

        return await FinishAsync(context, new FinishInput(input.JobId, JobStatus.Completed, previous, null, input.TraceParent));
    }

    private static async Task<string> FinishAsync(TaskOrchestrationContext context, FinishInput finish)
    {
        await context.CallActivityAsync(JobTaskNames.FinishJob, finish, FinishOptions);
        return finish.Status;
    }
}
