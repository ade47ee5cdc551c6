using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Notifications;
using Serverless.Core.Progress;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// An operator's retry of a failed job: a new run of its orchestration starts at the stage that failed, with the kept
/// output of the stage before it, so completed stages do not run again. The job keeps its id and its seq goes on: the
/// owner first gets a <c>progress</c> message saying who retried it, then the new run's messages.
/// </summary>
internal sealed class JobRetrier(
    IJobStore store,
    IJobScheduler scheduler,
    IClientNotifier notifier,
    IJobEventSink events,
    IOptions<JobOptions> options,
    ServerlessMetrics metrics,
    TimeProvider time,
    ILogger<JobRetrier> logger)
{
    /// <summary>
    /// Retries the failed job <paramref name="jobId"/> on behalf of <paramref name="operatorId"/>; answers the job's
    /// <c>status</c>. Throws <see cref="JobException"/>: NOT_FOUND, VALIDATION_ERROR for a job that is not failed (nothing
    /// changes), SERVICE_UNAVAILABLE when storage or the orchestration backend is away.
    /// </summary>
    public async Task<JobMessage> RetryAsync(string operatorId, string? jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorId);
        RequestValidator.ValidateJobId(jobId);
        JobRecord job = await StorageCall.RunAsync(() => store.GetAsync(jobId!, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw new JobException(JobError.NotFound());
        if (job.Status != JobStatus.Failed)
        {
            if (job.Status == JobStatus.Queued && job.Retries > 0
                && !await Backend(() => scheduler.IsScheduledAsync(JobInput.InstanceIdOf(job.JobId, job.Retries), cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                // A retry that was recorded but whose run could not be scheduled: this call schedules it.
                await ScheduleAsync(await NextRunAsync(job, job.Retries, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                return job.ToStatusMessage($"Retry {job.Retries} scheduled.");
            }

            throw new JobException(JobError.Validation($"Only a failed job can be retried; job {job.JobId} is {job.Status}."));
        }

        int run = job.Retries + 1;
        JobInput next = await NextRunAsync(job, run, cancellationToken).ConfigureAwait(false);
        string stage = next.Stages[next.FirstStage];
        DateTimeOffset now = time.GetUtcNow();
        var started = new JobMessage
        {
            Type = MessageTypes.Progress,
            JobId = job.JobId,
            Seq = job.LastSeq + 1,
            Percent = job.Percent,
            Stage = stage,
            Message = $"Retry {run} from stage '{stage}' started by an operator",
            Metadata = MetadataJson.Of(("retriedBy", operatorId), ("retry", run.ToString(CultureInfo.InvariantCulture))),
            At = now,
        };
        if (!await StorageCall.RunAsync(() => store.BeginRetryAsync(job, started, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            throw new JobException(JobError.Validation($"Job {job.JobId} is no longer failed: another retry started it first."));
        }

        events.Emit(JobEvent.Retried(job, started, next.FirstStage, next.Stages.Count, operatorId));
        Log.Retried(logger, job.JobId, run, stage, operatorId);
        await JobNotifications.PushAsync(notifier, job.OwnerId, started, metrics, logger, cancellationToken).ConfigureAwait(false);
        await ScheduleAsync(next, cancellationToken).ConfigureAwait(false);
        return job.ToStatusMessage(started.Message) with { Status = JobStatus.Queued, Seq = started.Seq, Stage = stage };
    }

    /// <summary>Run <paramref name="run"/> of the job: the previous run's input, from the stage that failed, with the stage before's kept output.</summary>
    private async Task<JobInput> NextRunAsync(JobRecord job, int run, CancellationToken cancellationToken)
    {
        JobInput previous = await Backend(() => scheduler.GetInputAsync(JobInput.InstanceIdOf(job.JobId, run - 1), cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw new JobException(JobError.Validation($"Job {job.JobId} has no run history left (purged); it cannot be retried."));
        int firstStage = Math.Clamp(job.StageIndex, 0, previous.Stages.Count - 1);
        string? input = null;
        if (firstStage > 0)
        {
            string kept = await StorageCall.RunAsync(() => store.GetStageOutputAsync(job.JobId, firstStage - 1, cancellationToken), cancellationToken).ConfigureAwait(false)
                ?? throw new JobException(JobError.Validation(
                    $"Job {job.JobId} has no kept output of stage '{previous.Stages[firstStage - 1]}' (it ran before outputs were kept); it cannot be retried from stage '{previous.Stages[firstStage]}'."));
            input = kept == "null" ? null : kept;
        }

        return previous with
        {
            Run = run,
            FirstStage = firstStage,
            FirstStageInputJson = input,
            Retry = options.Value.ToStageRetry(),
            TraceParent = Activity.Current?.Id ?? previous.TraceParent,
        };
    }

    private Task<bool> ScheduleAsync(JobInput next, CancellationToken cancellationToken) =>
        Backend(() => scheduler.ScheduleAsync(next, cancellationToken), cancellationToken);

    private async Task<T> Backend<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not JobException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            Log.RetryBackendFailed(logger, ex);
            throw new JobException(JobError.Unavailable("The orchestration backend is unavailable; retry the job again shortly.") with { RetryAfterMs = 2000 }, ex);
        }
    }

    private Task<bool> Backend(Func<Task> call, CancellationToken cancellationToken) => Backend(
        async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        },
        cancellationToken);
}
