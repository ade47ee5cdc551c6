using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Handlers;
using Serverless.Core.Jobs;
using Serverless.Core.Progress;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Routing;

/// <summary>
/// The one entry point for client requests from every host: validates, runs short actions inline (sync),
/// turns long ones into durable jobs (async), and answers cancel and resume. Bad input never throws: it gets
/// a typed error message and leaves nothing written.
/// </summary>
public sealed class JobRouter
{
    private const int ResumePageSize = 1000;

    private readonly HandlerRegistry _handlers;
    private readonly IJobStore _store;
    private readonly IJobScheduler _scheduler;
    private readonly RouterOptions _options;
    private readonly JobOptions _jobOptions;
    private readonly LimitsOptions _limits;
    private readonly UserRateLimiter _rateLimiter;
    private readonly ActiveJobBounds _activeJobs;
    private readonly ActionDurations _durations;
    private readonly IJobEventSink _events;
    private readonly ServerlessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRouter> _logger;

    public JobRouter(
        HandlerRegistry handlers,
        IJobStore store,
        IJobScheduler scheduler,
        IOptions<RouterOptions> options,
        IOptions<JobOptions> jobOptions,
        IOptions<LimitsOptions> limits,
        UserRateLimiter rateLimiter,
        ActionDurations durations,
        IJobEventSink events,
        ServerlessMetrics metrics,
        TimeProvider time,
        ILogger<JobRouter> logger,
        ActiveJobBounds activeJobs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jobOptions);
        ArgumentNullException.ThrowIfNull(limits);
        _handlers = handlers;
        _store = store;
        _scheduler = scheduler;
        _options = options.Value;
        _jobOptions = jobOptions.Value;
        _limits = limits.Value;
        _rateLimiter = rateLimiter;
        _activeJobs = activeJobs;
        _durations = durations;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Answers <c>accepted</c> (async), <c>result</c> (sync) or <c>error</c>.</summary>
    public async Task<JobMessage> SubmitAsync(CallerIdentity caller, JobRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string? requestId = SafeRequestId(request);
        long started = _time.GetTimestamp();
        using Activity? span = ServerlessTelemetry.ActivitySource.StartActivity(MetricNames.SubmitSpan, ActivityKind.Server);
        try
        {
            if (!_rateLimiter.TryAcquire(caller.OwnerId, out TimeSpan retryAfter))
            {
                throw new JobException(new JobError(ErrorCodes.RateLimited, "Too many requests; slow down.", Retryable: true)
                {
                    RetryAfterMs = (long)Math.Ceiling(retryAfter.TotalMilliseconds),
                });
            }

            RequestValidator.Validate(request, _options.MaxPayloadBytes);
            IJobHandler handler = _handlers.Get(request!.Action!);
            ValidatePayload(handler, request.Payload);
            RouteDecision route = _durations.Decide(handler);
            span?.SetTag("job.action", handler.Action);
            span?.SetTag("job.mode", route.Mode);
            _metrics.RoutingDecisions.Add(1, new("action", handler.Action), new("mode", route.Mode), new("basis", route.Basis));
            JobMessage reply = route.Mode == JobMode.Async
                ? await StartJobAsync(caller, request, handler, cancellationToken).ConfigureAwait(false)
                : await RunInlineAsync(request, handler, cancellationToken).ConfigureAwait(false);
            span?.SetTag("job.id", reply.JobId);
            if (reply.Type == MessageTypes.Accepted)
            {
                _metrics.AckLatency.Record(_time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("action", handler.Action));
            }

            if (reply.Error is { } failure)
            {
                span.SetError(failure.Code);
            }

            return reply with { Route = route.Reason };
        }
        catch (JobException ex)
        {
            span.SetError(ex.Error.Code);
            _metrics.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ex.Error.Code));
            return JobMessage.ErrorReply(requestId, ex.Error);
        }
    }

    /// <summary>Requests cooperative cancellation; answers the job's status (a finished job is left as it is).</summary>
    public async Task<JobMessage> CancelAsync(CallerIdentity caller, string? jobId, CancellationToken cancellationToken)
    {
        try
        {
            JobRecord job = await GetOwnedAsync(caller, jobId, cancellationToken).ConfigureAwait(false);
            if (JobStatus.IsTerminal(job.Status))
            {
                return job.ToStatusMessage($"The job already ended ({job.Status}); nothing to cancel.");
            }

            await StorageCall.RunAsync(() => _store.RequestCancelAsync(job.JobId, cancellationToken), cancellationToken).ConfigureAwait(false);
            return job.ToStatusMessage("Cancellation requested; the job stops at its next progress report.");
        }
        catch (JobException ex)
        {
            return JobMessage.ErrorReply(null, ex.Error);
        }
    }

    /// <summary>Every persisted message after <paramref name="afterSeq"/>; throws <see cref="JobException"/> (NOT_FOUND, ...).</summary>
    public async Task<IReadOnlyList<JobMessage>> ResumeAsync(CallerIdentity caller, string? jobId, long afterSeq, CancellationToken cancellationToken)
    {
        if (afterSeq < 0)
        {
            throw new JobException(JobError.Validation("afterSeq must be 0 or more."));
        }

        JobRecord job = await GetOwnedAsync(caller, jobId, cancellationToken).ConfigureAwait(false);
        var messages = new List<JobMessage>();
        while (true)
        {
            long after = messages.Count == 0 ? afterSeq : messages[^1].Seq!.Value;
            IReadOnlyList<JobMessage> page = await StorageCall.RunAsync(() => _store.GetEventsAsync(job.JobId, after, ResumePageSize, cancellationToken), cancellationToken).ConfigureAwait(false);
            messages.AddRange(page);
            if (page.Count < ResumePageSize)
            {
                return messages;
            }
        }
    }

    /// <summary>The caller's job; NOT_FOUND for unknown and foreign jobs alike.</summary>
    public async Task<JobRecord> GetOwnedAsync(CallerIdentity caller, string? jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        RequestValidator.ValidateJobId(jobId);
        AcquireRead(caller);
        JobRecord? job = await StorageCall.RunAsync(() => _store.GetAsync(jobId!, cancellationToken), cancellationToken).ConfigureAwait(false);
        return job is not null && job.OwnerId == caller.OwnerId ? job : throw new JobException(JobError.NotFound());
    }

    /// <summary>The caller's jobs, newest first.</summary>
    public Task<IReadOnlyList<JobRecord>> ListAsync(CallerIdentity caller, string? status, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (status is not null && !JobStatus.All.Contains(status))
        {
            throw new JobException(JobError.Validation($"status must be one of: {string.Join(", ", JobStatus.All)}."));
        }

        if (limit is < 1 or > 100)
        {
            throw new JobException(JobError.Validation("limit must be from 1 to 100."));
        }

        AcquireRead(caller);
        return StorageCall.RunAsync(() => _store.ListAsync(caller.OwnerId, status, limit, cancellationToken), cancellationToken);
    }

    private async Task<JobMessage> RunInlineAsync(JobRequest request, IJobHandler handler, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        IReadOnlyList<string> stages = handler.GetStages(request.Payload);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool deadlineArmed = false;
        try
        {
            JsonElement? output = null;
            for (int i = 0; i < stages.Count; i++)
            {
                var context = new StageContext
                {
                    JobId = request.RequestId!,
                    Payload = request.Payload,
                    StageIndex = i,
                    StageName = stages[i],
                    StageCount = stages.Count,
                    PreviousOutput = output,
                    Progress = NullProgressReporter.Instance,
                    TimeProvider = _time,
                };

                ValueTask<JsonElement?> pending = handler.RunStageAsync(context, deadline.Token);
                if (pending.IsCompletedSuccessfully)
                {
                    // Most sync stages finish at once: no timers for them.
                    output = pending.Result;
                    continue;
                }

                TimeSpan remaining = _options.SyncTimeout - _time.GetElapsedTime(started);
                remaining = remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
                if (!deadlineArmed)
                {
                    deadline.CancelAfter(remaining);
                    deadlineArmed = true;
                }

                // WaitAsync answers at the deadline even if the handler ignores its token.
                output = await pending.AsTask()
                    .WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }

            TimeSpan took = _time.GetElapsedTime(started);
            _durations.Record(handler.Action, took);
            _metrics.JobsSubmitted.Add(1, new("action", handler.Action), new("mode", JobMode.Sync));
            _metrics.JobDuration.Record(took.TotalSeconds, new("action", handler.Action), new("mode", JobMode.Sync));
            return JobMessage.SyncResult(request.RequestId, output);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            await deadline.CancelAsync().ConfigureAwait(false);

            // An overrun counts at least the timeout, so a handler that keeps overrunning gets routed async.
            _durations.Record(handler.Action, _options.SyncTimeout);
            return JobMessage.SyncFailure(request.RequestId, new JobError(
                ErrorCodes.Timeout, $"'{handler.Action}' did not finish within {_options.SyncTimeout.TotalSeconds:0.###} s.", Retryable: true));
        }
        catch (JobException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SyncHandlerFailed(_logger, ex, handler.Action);
            return JobMessage.SyncFailure(request.RequestId, new JobError(ErrorCodes.HandlerFailed, ex.Message));
        }
    }

    private async Task<JobMessage> StartJobAsync(CallerIdentity caller, JobRequest request, IJobHandler handler, CancellationToken cancellationToken)
    {
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
                await EnsureScheduledAsync(input, cancellationToken).ConfigureAwait(false);
            }

            return JobMessage.Accepted(existing.JobId, requestId, duplicate: true);
        }

        _activeJobs.Created(caller.OwnerId);

        // Emitted before scheduling, so they precede the job's first stage event in the stream.
        _events.Emit(JobEvent.Submitted(job));
        _events.Emit(JobEvent.Accepted(job, input.Stages.Count, _time.GetUtcNow()));
        try
        {
            await EnsureScheduledAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            _events.Emit(JobEvent.NotScheduled(job, ex.Error, _time.GetUtcNow()));

            // Nothing half-written: a job that cannot be scheduled is removed, and the client may retry.
            try
            {
                await _store.DeleteAsync(job, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception deleteError) when (deleteError is RequestFailedException or IOException)
            {
                Log.UndoCreateFailed(_logger, deleteError, jobId);
            }

            throw;
        }

        _metrics.JobsSubmitted.Add(1, new("action", handler.Action), new("mode", JobMode.Async));
        return JobMessage.Accepted(jobId, requestId, duplicate: false);
    }

    private async Task EnsureScheduledAsync(JobInput input, CancellationToken cancellationToken)
    {
        try
        {
            await _scheduler.ScheduleAsync(input, cancellationToken).ConfigureAwait(false);
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

    private void AcquireRead(CallerIdentity caller)
    {
        if (!_rateLimiter.TryAcquireRead(caller.OwnerId, out TimeSpan retryAfter))
        {
            throw new JobException(new JobError(ErrorCodes.RateLimited, "Too many reads; slow down.", Retryable: true)
            {
                RetryAfterMs = (long)Math.Ceiling(retryAfter.TotalMilliseconds),
            });
        }
    }

    // A handler that throws anything but JobException on a bad payload still gives the caller a typed error.
    private void ValidatePayload(IJobHandler handler, JsonElement payload)
    {
        if (!JsonText.IsWellFormed(payload))
        {
            throw new JobException(JsonText.InvalidTextError("The payload"));
        }

        try
        {
            handler.ValidatePayload(payload);
        }
        catch (Exception ex) when (ex is not JobException and not OperationCanceledException)
        {
            Log.PayloadValidationThrew(_logger, ex, handler.Action);
            throw new JobException(JobError.Validation($"The payload is not valid for '{handler.Action}'."), ex);
        }
    }

    private static string? SafeRequestId(JobRequest? request)
    {
        try
        {
            RequestValidator.ValidateRequestId(request?.RequestId);
            return request!.RequestId;
        }
        catch (JobException)
        {
            return null;
        }
    }
}
