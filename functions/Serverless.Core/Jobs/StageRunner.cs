using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Handlers;
using Serverless.Core.Notifications;
using Serverless.Core.Progress;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>The body of the <see cref="JobTaskNames.RunStage"/> activity, shared by both hosts.</summary>
internal sealed class StageRunner
{
    private readonly HandlerRegistry _handlers;
    private readonly IJobStore _store;
    private readonly IClientNotifier _notifier;
    private readonly IJobEventSink _events;
    private readonly IActionDurationRecorder _durations;
    private readonly StageGate _gate;
    private readonly JobFinisher _finisher;
    private readonly ProgressOptions _progress;
    private readonly ServerlessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<StageRunner> _logger;

    public StageRunner(
        HandlerRegistry handlers,
        IJobStore store,
        IClientNotifier notifier,
        IJobEventSink events,
        IActionDurationRecorder durations,
        StageGate gate,
        JobFinisher finisher,
        IOptions<ProgressOptions> progress,
        ServerlessMetrics metrics,
        TimeProvider time,
        ILogger<StageRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _handlers = handlers;
        _store = store;
        _notifier = notifier;
        _events = events;
        _durations = durations;
        _gate = gate;
        _finisher = finisher;
        _progress = progress.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public async Task<StageResult> RunAsync(StageInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = ServerlessTelemetry.StartJobSpan(MetricNames.StageSpan, input.TraceParent, input.JobId);
        span?.SetTag("job.action", input.Action);
        span?.SetTag("job.stage", input.Stages[input.StageIndex]);
        span?.SetTag("job.stage_index", input.StageIndex);

        // Under load, stages wait here and high-priority jobs go first; the job is read once admitted.
        using IDisposable slot = await _gate.EnterAsync(input.Priority ?? JobPriority.Normal, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        if (input.Cursor is { } cursor && now - cursor.LookedAt < _progress.CancellationCheckInterval)
        {
            // A first attempt right after the previous stage, which looked at the row less than an interval ago: the
            // row is as it left it, so it is not read again. Were the cursor stale (this activity re-run at once after
            // a crash), the first write's seq would already exist: the attempt fails and the retry reads the row.
            var known = new JobRecord
            {
                JobId = input.JobId,
                RequestId = cursor.RequestId,
                OwnerId = cursor.OwnerId,
                Action = input.Action,
                Status = JobStatus.Running,
                LastSeq = cursor.LastSeq,
                CreatedAt = cursor.CreatedAt,
            };
            return await RunHandlerAsync(input, known, attempt: 1, cursor.LookedAt, span, cancellationToken).ConfigureAwait(false);
        }

        JobRecord job = await _store.GetAsync(input.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {input.JobId} has no state row.");
        bool last = input.StageIndex == input.Stages.Count - 1;
        if (last && JobStatus.IsTerminal(job.Status))
        {
            // A re-run of a last stage that had already ended the job (the host stopped before Durable recorded
            // the activity): the terminal message is pushed again, the handler does not run twice.
            await _finisher.FinishAsync(new FinishInput(job.JobId, job.Status, null, job.Error, input.TraceParent), job, cancellationToken).ConfigureAwait(false);
            return new StageResult(null, Cancelled: false, Finished: true);
        }

        if (job.CancelRequested)
        {
            return new StageResult(null, Cancelled: true);
        }

        // The state row remembers the stage it last started, so a retry (or a re-run after a crash) counts up.
        int attempt = job.StageIndex == input.StageIndex ? job.StageAttempt + 1 : 1;
        return await RunHandlerAsync(input, job, attempt, now, span, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the handler's stage with a progress reporter; <paramref name="lookedAt"/>: when the row was last looked at for cancellation.</summary>
    private async Task<StageResult> RunHandlerAsync(StageInput input, JobRecord job, int attempt, DateTimeOffset lookedAt, Activity? span, CancellationToken cancellationToken)
    {
        bool last = input.StageIndex == input.Stages.Count - 1;
        IJobHandler handler = _handlers.Get(input.Action);
        span?.SetTag("job.attempt", attempt);

        await using var reporter = new ProgressReporter(job, input.StageIndex, input.Stages, _store, _notifier, _events, _progress, _metrics, _time, _logger, lookedAt);
        // The previous stage's output is kept with this stage's start (no transaction of its own), for an operator's retry.
        reporter.Start(attempt, input.StageIndex == 0 ? null : new StageOutput(input.StageIndex - 1, input.PreviousOutputJson ?? JsonNull));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, reporter.CancellationToken);

        var context = new StageContext
        {
            JobId = input.JobId,
            Payload = Parse(input.PayloadJson) ?? default,
            StageIndex = input.StageIndex,
            StageName = input.Stages[input.StageIndex],
            StageCount = input.Stages.Count,
            Attempt = attempt,
            PreviousOutput = Parse(input.PreviousOutputJson),
            Progress = reporter,
            TimeProvider = _time,
        };

        JsonElement? output;
        long started = _time.GetTimestamp();
        try
        {
            output = await handler.RunStageAsync(context, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (reporter.CancellationToken.IsCancellationRequested)
        {
            await reporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
            EmitFinished(input, attempt, reporter.LastSeq, "cancelled");
            return new StageResult(null, Cancelled: true);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Keep the progress made before the failure; the handler's exception is what matters.
            try
            {
                await reporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception flushError) when (flushError is not OperationCanceledException)
            {
                Log.FinalFlushFailed(_logger, flushError, input.JobId);
            }

            EmitFinished(input, attempt, reporter.LastSeq, "failed");
            span.SetError(ErrorCodes.HandlerFailed);
            throw;
        }

        double ranSeconds = _time.GetElapsedTime(started).TotalSeconds;
        string? outputJson = output?.GetRawText();
        if (!last)
        {
            await reporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
            EmitFinished(input, attempt, reporter.LastSeq, "succeeded");
            var next = new StageCursor(reporter.LastSeq, reporter.LookedAt, job.OwnerId, job.RequestId, job.CreatedAt);
            return new StageResult(outputJson, Cancelled: false, Next: next) { RanSeconds = ranSeconds };
        }

        // The last stage's final flush also ends the job: one transaction for its last progress and the terminal state.
        var finish = new FinishInput(job.JobId, JobStatus.Completed, outputJson, null, input.TraceParent);
        using Activity? finishSpan = JobFinisher.StartSpan(finish);
        JobMessage terminal = await reporter.CompleteJobAsync(finish, cancellationToken).ConfigureAwait(false);
        EmitFinished(input, attempt, terminal.Seq!.Value - 1, "succeeded");

        // The handler's run time over all stages feeds adaptive routing, as a sync run's does: what the client would
        // wait for inline, without the time the job waited for the Durable backend. An action that turns quick goes
        // back to sync however busy the backend is.
        _durations.Record(input.Action, TimeSpan.FromSeconds(input.RanSecondsBefore + ranSeconds));
        await _finisher.AnnounceAsync(terminal, job, cancellationToken).ConfigureAwait(false);
        return new StageResult(outputJson, Cancelled: false, Finished: true) { RanSeconds = ranSeconds };
    }

    private void EmitFinished(StageInput input, int attempt, long lastSeq, string outcome) =>
        _events.Emit(JobEvent.StageFinished(
            input.JobId, input.Stages[input.StageIndex], input.StageIndex, input.Stages.Count, attempt, lastSeq, outcome, _time.GetUtcNow()));

    private const string JsonNull = "null";

    private static JsonElement? Parse(string? json) =>
        json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
