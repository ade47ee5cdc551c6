using Microsoft.DurableTask;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// Runs a job's stages in order, one activity each with the job's retry policy, passing each stage's output
/// to the next. A successful last stage writes the terminal state itself (one activity fewer: a whole episode of
/// queue messages and history writes saved per job); failures and cancellations write it once through
/// <see cref="JobTaskNames.FinishJob"/>.
/// </summary>
internal sealed class JobOrchestration : TaskOrchestrator<JobInput, string>
{
    // Writing the terminal state must outlive a storage outage: retry for several minutes.
    private static readonly TaskOptions FinishOptions = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 12, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public override async Task<string> RunAsync(TaskOrchestrationContext context, JobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        StageRetry retry = input.Retry;
        string? previous = input.FirstStageInputJson;
        double ranSeconds = 0;
        StageCursor? cursor = null;
        for (int i = input.FirstStage; i < input.Stages.Count; i++)
        {
            var stageInput = new StageInput(input.JobId, input.Action, input.PayloadJson, input.Stages, i, previous, input.TraceParent, input.Priority)
            {
                RanSecondsBefore = ranSeconds,
            };
            StageResult result;
            try
            {
                result = await RunStageAsync(context, stageInput, cursor, retry);
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

            if (result.Finished)
            {
                return JobStatus.Completed;
            }

            previous = result.OutputJson;
            ranSeconds += result.RanSeconds;
            cursor = result.Next;
        }

        return await FinishAsync(context, new FinishInput(input.JobId, JobStatus.Completed, previous, null, input.TraceParent));
    }

    /// <summary>
    /// One stage with the job's retry policy: exponential backoff between attempts, as the Durable retry policy
    /// does, but counted here so only a first attempt gets the previous stage's cursor; a retry reads the row.
    /// </summary>
    private static async Task<StageResult> RunStageAsync(TaskOrchestrationContext context, StageInput stage, StageCursor? cursor, StageRetry retry)
    {
        TimeSpan delay = retry.FirstRetryInterval;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await context.CallActivityAsync<StageResult>(JobTaskNames.RunStage, stage with { Cursor = attempt == 1 ? cursor : null });
            }
            catch (TaskFailedException) when (attempt < retry.MaxAttempts)
            {
                await context.CreateTimer(delay, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * retry.BackoffCoefficient), retry.MaxRetryInterval.Ticks));
            }
        }
    }

    private static async Task<string> FinishAsync(TaskOrchestrationContext context, FinishInput finish)
    {
        await context.CallActivityAsync(JobTaskNames.FinishJob, finish, FinishOptions);
        return finish.Status;
    }
}
