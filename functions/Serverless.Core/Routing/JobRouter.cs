using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Handlers;
using Serverless.Core.Jobs;
using Serverless.Core.Operators;
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
internal sealed partial class JobRouter
{
    private const int ResumePageSize = 1000;

    private readonly HandlerRegistry _handlers;
    private readonly IJobStore _store;
    private readonly RouterOptions _options;
    private readonly UserRateLimiter _rateLimiter;
    private readonly ActionDurations _durations;
    private readonly InlineJobRunner _inline;
    private readonly JobStarter _starter;
    private readonly IJobEventSink _events;
    private readonly ServerlessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRouter> _logger;
    private readonly OperatorControls _controls;

    public JobRouter(
        HandlerRegistry handlers,
        IJobStore store,
        IOptions<RouterOptions> options,
        UserRateLimiter rateLimiter,
        ActionDurations durations,
        InlineJobRunner inline,
        JobStarter starter,
        IJobEventSink events,
        ServerlessMetrics metrics,
        TimeProvider time,
        ILogger<JobRouter> logger,
        OperatorControls controls)
    {
        ArgumentNullException.ThrowIfNull(options);
        _handlers = handlers;
        _store = store;
        _options = options.Value;
        _rateLimiter = rateLimiter;
        _durations = durations;
        _inline = inline;
        _starter = starter;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _controls = controls;
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
            if (await _controls.PausedErrorAsync(handler.Action, cancellationToken).ConfigureAwait(false) is { } paused)
            {
                throw new JobException(paused);
            }

            RouteDecision route = _durations.Decide(handler);
            span?.SetTag("job.action", handler.Action);
            span?.SetTag("job.mode", route.Mode);
            _metrics.RoutingDecisions.Add(1, new("action", handler.Action), new("mode", route.Mode), new("basis", route.Basis));
            JobMessage reply = route.Mode == JobMode.Async
                ? await _starter.StartAsync(caller, request, handler, cancellationToken).ConfigureAwait(false)
                : await _inline.RunAsync(request, handler, cancellationToken).ConfigureAwait(false);
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
            return await RequestCancelAsync(job, operatorId: null, cancellationToken).ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            return JobMessage.ErrorReply(null, ex.Error);
        }
    }

    private async Task<JobMessage> RequestCancelAsync(JobRecord job, string? operatorId, CancellationToken cancellationToken)
    {
        if (JobStatus.IsTerminal(job.Status))
        {
            return job.ToStatusMessage($"The job already ended ({job.Status}); nothing to cancel.");
        }

        await StorageCall.RunAsync(() => _store.RequestCancelAsync(job.JobId, operatorId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return job.ToStatusMessage("Cancellation requested; the job stops at its next progress report.");
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
