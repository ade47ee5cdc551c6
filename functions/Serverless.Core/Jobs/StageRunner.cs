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
public sealed partial class StageRunner
{
    private readonly HandlerRegistry _handlers;
    private readonly IJobStore _store;
    private readonly IClientNotifier _notifier;
    private readonly IJobEventSink _events;
    private readonly IActionDurationRecorder _durations;
    private readonly StageGate _gate;
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
        JobRecord job = await _store.GetAsync(input.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {input.JobId} has no state row.");
        if (job.CancelRequested)
        {
            return new StageResult(null, Cancelled: true);
        }

        IJobHandler handler = _handlers.Get(input.Action);

        // The state row remembers the stage it last started, so a retry (or a re-run after a crash) counts up.
        int attempt = job.StageIndex == input.StageIndex ? job.StageAttempt + 1 : 1;
        span?.SetTag("job.attempt", attempt);

        await using var reporter = new ProgressReporter(job, input.StageIndex, input.Stages, _store, _notifier, _events, _progress, _metrics, _time, _logger);
        await reporter.StartAsync(attempt, cancellationToken).ConfigureAwait(false);
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

        await reporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
        EmitFinished(input, attempt, reporter.LastSeq, "succeeded");
        if (input.StageIndex == input.Stages.Count - 1)
        {
            // The whole job's duration feeds adaptive routing: an action that turns quick can go back to sync.
            _durations.Record(input.Action, _time.GetUtcNow() - job.CreatedAt);
        }

        return new StageResult(output?.GetRawText(), Cancelled: false);
    }

    private void EmitFinished(StageInput input, int attempt, long lastSeq, string outcome) =>
        _events.Emit(JobEvent.StageFinished(
            input.JobId, input.Stages[input.StageIndex], input.StageIndex, input.Stages.Count, attempt, lastSeq, outcome, _time.GetUtcNow()));

    private static JsonElement? Parse(string? json) =>
        json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not flush progress of job {JobId} after its stage failed")]
        public static partial void FinalFlushFailed(ILogger logger, Exception exception, string jobId);
    }
}
