using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Handlers;
using Serverless.Core.Progress;
using Serverless.Protocol;

namespace Serverless.Core.Routing;

/// <summary>The sync half of the router: an action short enough to answer while the caller waits.</summary>
internal sealed class InlineJobRunner(
    IOptions<RouterOptions> options, ActionDurations durations, ServerlessMetrics metrics, TimeProvider time, ILogger<InlineJobRunner> logger)
{
    private readonly RouterOptions _options = options.Value;
    private readonly ActionDurations _durations = durations;
    private readonly ServerlessMetrics _metrics = metrics;
    private readonly TimeProvider _time = time;
    private readonly ILogger<InlineJobRunner> _logger = logger;

    /// <summary>
    /// Runs a sync action's stages inline, within <see cref="RouterOptions.SyncTimeout"/>: one <c>result</c> message,
    /// a TIMEOUT when it overruns (the handler is told to stop), HANDLER_FAILED when it throws.
    /// </summary>
    public async Task<JobMessage> RunAsync(JobRequest request, IJobHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
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
}
