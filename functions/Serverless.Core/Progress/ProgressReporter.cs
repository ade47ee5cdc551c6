using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Jobs;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Progress;

/// <summary>
/// Batches one stage's progress: <see cref="Report"/> only records the latest value; a flush writes it as
/// one event (state row + event rows in one transaction), then pushes it to the owner. Flushes happen at most
/// once per window, at once on the stage's first report and on the first report at or above the immediate
/// threshold, and at the stage's end. The stage-start event goes out with the stage's first flush (one
/// transaction, not two), or on its own after one window when the stage reports nothing sooner.
/// </summary>
internal sealed class ProgressReporter : IProgressReporter, IAsyncDisposable
{
    private readonly JobRecord _job;
    private readonly int _stageIndex;
    private readonly IReadOnlyList<string> _stages;
    private readonly IJobStore _store;
    private readonly IClientNotifier _notifier;
    private readonly IJobEventSink _events;
    private readonly ProgressOptions _options;
    private readonly ServerlessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Lock _gate = new();

    private long _lastSeq;
    private long _lastFlushTimestamp;
    private long _lastCancellationCheck;
    private DateTimeOffset _lookedAt;
    private bool _hasPending;
    private double _pendingPercent;
    private string? _pendingMessage;
    private JsonElement? _pendingMetadata;
    private int _pendingReports;
    private bool _flushScheduled;
    private bool _immediateFlushUsed;
    private StageStart? _pendingStart;
    private bool _startFlushRequested;
    private volatile bool _cancelled;

    public ProgressReporter(
        JobRecord job,
        int stageIndex,
        IReadOnlyList<string> stages,
        IJobStore store,
        IClientNotifier notifier,
        IJobEventSink events,
        ProgressOptions options,
        ServerlessMetrics metrics,
        TimeProvider time,
        ILogger logger,
        DateTimeOffset lookedAt)
    {
        _job = job;
        _stageIndex = stageIndex;
        _stages = stages;
        _store = store;
        _notifier = notifier;
        _events = events;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _lastSeq = job.LastSeq;
        _lastFlushTimestamp = time.GetTimestamp();

        // The job was looked at for a cancellation request at lookedAt (the stage runner's read, or the previous
        // stage's last look), so the next look is due an interval after that.
        _lookedAt = lookedAt;
        TimeSpan sinceLook = time.GetUtcNow() - lookedAt;
        _lastCancellationCheck = _lastFlushTimestamp - (long)(Math.Max(0, sinceLook.TotalSeconds) * time.TimestampFrequency);
        _timer = time.CreateTimer(static state => ((ProgressReporter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The seq of the last event this reporter persisted.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    /// <summary>When the job's row was last looked at for a cancellation request.</summary>
    public DateTimeOffset LookedAt => _lookedAt;

    /// <summary>Cancelled once the job's cancellation is seen.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    private string StageName => _stages[_stageIndex];

    /// <summary>
    /// Records the stage-start event; it is persisted and pushed with the stage's first flush, at the latest one
    /// window from now. <paramref name="previousOutput"/>, the output this stage starts from, is kept with it in the
    /// same transaction, so an operator's retry of this stage starts from it without running the stage before again.
    /// </summary>
    public void Start(int attempt, StageOutput? previousOutput = null)
    {
        JsonElement metadata = MetadataJson.Of(("attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string message = attempt == 1 ? $"{StageName} started" : $"{StageName} retry (attempt {attempt})";
        lock (_gate)
        {
            _pendingStart = new StageStart(message, metadata, attempt, _time.GetUtcNow(), previousOutput);
            _lastFlushTimestamp = _time.GetTimestamp();
            _flushScheduled = true;
            _timer.Change(_options.FlushWindow, Timeout.InfiniteTimeSpan);
        }
    }

    public void Report(double percent, string? message = null, JsonElement? metadata = null)
    {
        if (_cancelled)
        {
            throw new JobCancelledException(_job.JobId);
        }

        double stagePercent = double.IsNaN(percent) ? 0 : Math.Clamp(percent, 0, 100);

        // Bounded and copied here, on the handler's thread: the handler may reuse or dispose its document.
        JsonElement? bounded = metadata is { } given ? ProgressMetadata.Bound(given) : null;
        lock (_gate)
        {
            _hasPending = true;
            _pendingPercent = stagePercent;
            _pendingMessage = message ?? _pendingMessage;
            _pendingMetadata = bounded ?? _pendingMetadata;
            _pendingReports++;

            TimeSpan due;
            bool immediate = !_immediateFlushUsed && OverallPercent(stagePercent) >= _options.ImmediateFlushPercent;
            bool firstOfStage = _pendingStart is not null && !_startFlushRequested;
            if (immediate || firstOfStage)
            {
                _immediateFlushUsed |= immediate;
                _startFlushRequested |= firstOfStage;
                due = TimeSpan.Zero;
            }
            else if (_flushScheduled)
            {
                return;
            }
            else
            {
                TimeSpan sinceLast = _time.GetElapsedTime(_lastFlushTimestamp);
                due = sinceLast >= _options.FlushWindow ? TimeSpan.Zero : _options.FlushWindow - sinceLast;
            }

            _flushScheduled = true;
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Flushes what is pending; the stage's final state is never lost (a failure here fails the stage).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        await FlushPendingAsync(final: true, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Flushes what is pending and the job's terminal state in one transaction (the job's last stage ends the job
    /// with its final flush); returns the terminal message, which the caller announces. Pushes only the progress.
    /// </summary>
    public async Task<JobMessage> CompleteJobAsync(FinishInput finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finish);
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return (await FlushPendingAsync(final: true, finish, cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);

        // Wait for a flush the timer may have started, so nothing writes after the stage ends.
        await _flushLock.WaitAsync().ConfigureAwait(false);
        _flushLock.Release();
        _cancellation.Dispose();
    }

    private void OnTimer() => _ = FlushPendingAsync(final: false, null, CancellationToken.None);

    /// <summary>Writes what is pending (with <paramref name="finish"/>'s terminal state when given); returns the terminal message written.</summary>
    private async Task<JobMessage?> FlushPendingAsync(bool final, FinishInput? finish, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        StageStart? start;
        bool hasProgress;
        double percent;
        string? message;
        JsonElement? metadata;
        int reports;
        try
        {
            lock (_gate)
            {
                _flushScheduled = false;
                if (!_hasPending && _pendingStart is null && finish is null)
                {
                    return null;
                }

                start = _pendingStart;
                hasProgress = _hasPending;
                percent = _pendingPercent;
                message = _pendingMessage;
                metadata = _pendingMetadata;
                reports = _pendingReports;
                _pendingStart = null;
                _hasPending = false;
                _pendingMetadata = null;
                _pendingReports = 0;

                // The window runs from the start of a flush, so reports made while it writes wait for the next window.
                _lastFlushTimestamp = _time.GetTimestamp();
            }

            try
            {
                JobMessage? terminal = await WriteAsync(
                    start, hasProgress ? new PendingProgress(OverallPercent(percent), message, metadata, reports) : null, finish, cancellationToken).ConfigureAwait(false);
                _metrics.RecordProgressReports(reports);
                return terminal;
            }
            catch (Exception ex) when (!final)
            {
                // Keep the values for the next window rather than lose them; the final flush surfaces the failure.
                Log.FlushFailed(_logger, ex, _job.JobId);
                lock (_gate)
                {
                    _pendingStart ??= start;
                    if (!_hasPending && hasProgress)
                    {
                        _hasPending = true;
                        _pendingPercent = percent;
                        _pendingMessage = message;
                    }

                    _pendingMetadata ??= metadata;

                    _pendingReports += reports;
                    _flushScheduled = true;
                    _timer.Change(_options.FlushWindow, Timeout.InfiniteTimeSpan);
                }

                return null;
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>
    /// Persists the stage start (when pending), the progress (when any) and the terminal state (when finishing) in
    /// one transaction, emits the progress to the event stream, pushes it, then looks for a cancellation request.
    /// Caller holds the flush lock.
    /// </summary>
    private async Task<JobMessage?> WriteAsync(StageStart? start, PendingProgress? progress, FinishInput? finish, CancellationToken cancellationToken)
    {
        long seq = _lastSeq;
        DateTimeOffset now = _time.GetUtcNow();
        var messages = new List<JobMessage>(2);
        if (start is { } begun)
        {
            // Stamped with when the stage began, not when the event is written.
            messages.Add(Message(++seq, OverallPercent(0), begun.Message, begun.Metadata, null, begun.At));
        }

        if (progress is { } latest)
        {
            messages.Add(Message(++seq, latest.Percent, latest.Message, latest.Metadata, latest.Reports, now));
        }

        int progressCount = messages.Count;
        JobMessage? terminal = null;
        JobUpdate update;
        if (finish is not null)
        {
            (terminal, update) = JobFinisher.Terminal(finish, _job.JobId, ++seq, now);
            messages.Add(terminal);
            update = update with
            {
                Stage = StageName, StageIndex = _stageIndex, StageAttempt = start?.Attempt, Metadata = LatestMetadata(messages), Output = start?.PreviousOutput,
            };
        }
        else
        {
            update = new JobUpdate
            {
                JobId = _job.JobId,
                LastSeq = seq,
                UpdatedAt = now,
                Status = JobStatus.Running,
                Percent = messages[^1].Percent,
                Stage = StageName,
                Metadata = LatestMetadata(messages),
                StageIndex = _stageIndex,
                StageAttempt = start?.Attempt,
                Output = start?.PreviousOutput,
            };
        }

        await _store.AppendAsync(update, messages, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastSeq, seq);
        _metrics.RecordProgressFlush();
        messages.RemoveRange(progressCount, messages.Count - progressCount);
        for (int i = 0; i < messages.Count; i++)
        {
            // The attempt belongs to the stage-start event, which comes first when there is one.
            _events.Emit(JobEvent.FromProgress(messages[i], _stageIndex, _stages.Count, i == 0 ? start?.Attempt : null));
        }

        foreach (JobMessage message in messages)
        {
            await JobNotifications.PushAsync(_notifier, _job.OwnerId, message, _metrics, _logger, cancellationToken).ConfigureAwait(false);
        }

        if (terminal is not null)
        {
            JobFinisher.RecordFinished(_metrics, _job, finish!.Status, now);
            return terminal;
        }

        await CheckCancellationAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static JsonElement? LatestMetadata(List<JobMessage> messages) => messages.LastOrDefault(m => m.Metadata is not null)?.Metadata;

    private JobMessage Message(long seq, double percent, string? message, JsonElement? metadata, int? reports, DateTimeOffset at) => new()
    {
        Type = MessageTypes.Progress,
        JobId = _job.JobId,
        Seq = seq,
        Percent = Math.Round(percent, 2),
        Stage = StageName,
        Message = message,
        Metadata = metadata,
        At = at,
        Coalesced = reports,
    };

    private async Task CheckCancellationAsync(CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(_lastCancellationCheck) < _options.CancellationCheckInterval)
        {
            return;
        }

        _lastCancellationCheck = _time.GetTimestamp();
        _lookedAt = _time.GetUtcNow();
        try
        {
            JobRecord? current = await _store.GetAsync(_job.JobId, cancellationToken).ConfigureAwait(false);
            if (current?.CancelRequested == true && !_cancelled)
            {
                _cancelled = true;
                await _cancellation.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed look-up only delays cancellation to the next flush.
            Log.CancellationCheckFailed(_logger, ex, _job.JobId);
        }
    }

    private double OverallPercent(double stagePercent) => (_stageIndex * 100.0 + stagePercent) / _stages.Count;

    private readonly record struct StageStart(string Message, JsonElement Metadata, int Attempt, DateTimeOffset At, StageOutput? PreviousOutput);

    private readonly record struct PendingProgress(double Percent, string? Message, JsonElement? Metadata, int Reports);
}
