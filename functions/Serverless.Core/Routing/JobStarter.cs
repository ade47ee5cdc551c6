using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Handlers;
using Serverless.Core.Jobs;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Routing;

/// <summary>The async half of the router: a request that becomes a durable job.</summary>
internal sealed class JobStarter(
    IJobStore store,
    IJobScheduler scheduler,
    IOptions<JobOptions> jobOptions,
    IOptions<LimitsOptions> limits,
    ActiveJobBounds activeJobs,
    IJobEventSink events,
    ServerlessMetrics metrics,
    TimeProvider time,
    ILogger<JobStarter> logger)
{
    private readonly IJobStore _store = store;
    private readonly IJobScheduler _scheduler = scheduler;
    private readonly JobOptions _jobOptions = jobOptions.Value;
    private readonly LimitsOptions _limits = limits.Value;
    private readonly ActiveJobBounds _activeJobs = activeJobs;
    private readonly IJobEventSink _events = events;
    private readonly ServerlessMetrics _metrics = metrics;
    private readonly TimeProvider _time = time;
    private readonly ILogger<JobStarter> _logger = logger;

    /// <summary>
    /// Turns a request into a durable job: the active-job limit, the job's rows (idempotent on the request id), its
    /// lifecycle events and its orchestration; a job that cannot be scheduled is removed again. Answers <c>accepted</c>.
    /// </summary>
    public async Task<JobMessage> StartAsync(CallerIdentity caller, JobRequest request, IJobHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        string requestId = request.RequestId!;
        string jobId = JobKeys.JobId(caller.OwnerId, requestId);
        DateTimeOffset now = _time.GetUtcNow();
        var job = new JobRecord
        {
            JobId = jobId,
            RequestId = requestId,
            OwnerId = caller.OwnerId,
            Action = handler.Action,
            Priority = JobPriority.Parse(request.Priority)!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var input = new JobInput(
            jobId,
            caller.OwnerId,
            handler.Action,
            request.Payload.ValueKind == JsonValueKind.Undefined ? null : request.Payload.GetRawText(),
            handler.GetStages(request.Payload),
            _jobOptions.ToStageRetry(),
            Activity.Current?.Id,
            job.Priority);

        int active = await StorageCall.RunAsync(() => _activeJobs.UpperBoundAsync(caller.OwnerId, _limits.MaxActiveJobsPerUser, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (active >= _limits.MaxActiveJobsPerUser
            && await StorageCall.RunAsync(() => _store.GetAsync(jobId, cancellationToken), cancellationToken).ConfigureAwait(false) is null)
        {
            throw new JobException(new JobError(
                ErrorCodes.RateLimited,
                $"At most {_limits.MaxActiveJobsPerUser} jobs may be queued or running per user; wait for one to end.",
                Retryable: true) { RetryAfterMs = 5000 });
        }

        JobRecord? existing = await StorageCall.RunAsync(() => _store.CreateAsync(job, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Action != handler.Action)
            {
                throw new JobException(new JobError(
                    ErrorCodes.DuplicateRequest,
                    $"requestId '{requestId}' was already used for job {existing.JobId} ('{existing.Action}')."));
            }

            // The first submit may have crashed between creating the row and scheduling it.
            if (existing.Status == JobStatus.Queued)
            {
                await EnsureScheduledAsync(input, isNew: false, cancellationToken).ConfigureAwait(false);
            }

            return JobMessage.Accepted(existing.JobId, requestId, duplicate: true);
        }

        _activeJobs.Created(caller.OwnerId);

        // Emitted before scheduling, so they precede the job's first stage event in the stream.
        _events.Emit(JobEvent.Submitted(job));
        _events.Emit(JobEvent.Accepted(job, input.Stages.Count, _time.GetUtcNow()));
        try
        {
            await EnsureScheduledAsync(input, isNew: true, cancellationToken).ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            _events.Emit(JobEvent.NotScheduled(job, ex.Error, _time.GetUtcNow()));

            // Nothing half-written: a job that cannot be scheduled is removed, and the client may retry.
            try
            {
                await _store.DeleteAsync(job, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception deleteError) when (StorageCall.IsOutage(deleteError, CancellationToken.None))
            {
                Log.UndoCreateFailed(_logger, deleteError, jobId);
            }

            throw;
        }

        _metrics.JobsSubmitted.Add(1, new("action", handler.Action), new("mode", JobMode.Async));
        return JobMessage.Accepted(jobId, requestId, duplicate: false);
    }

    // isNew: whether this call created the job's rows (then no instance can exist yet), else a duplicate's repair.
    private async Task EnsureScheduledAsync(JobInput input, bool isNew, CancellationToken cancellationToken)
    {
        try
        {
            await (isNew ? _scheduler.ScheduleNewAsync(input, cancellationToken) : _scheduler.ScheduleAsync(input, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A concurrent duplicate may have scheduled it first: then this is not a failure.
            bool scheduled;
            try
            {
                scheduled = await _scheduler.IsScheduledAsync(input.JobId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception checkError) when (checkError is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                scheduled = false;
            }

            if (!scheduled)
            {
                Log.ScheduleFailed(_logger, ex, input.JobId);
                throw new JobException(JobError.Unavailable("The job could not be scheduled; retry with the same requestId.") with { RetryAfterMs = 1000 }, ex);
            }
        }
    }
}
