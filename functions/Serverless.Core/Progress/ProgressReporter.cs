using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Progress;

/// <summary>
/// Batches one stage's progress: <see cref="Report"/> only records the latest value; a flush writes it as
/// one event (state row + event row in one transaction), then pushes it to the owner. Flushes happen at most
/// once per window, at once on the first report at or above the immediate threshold, and at the stage's end.
/// </summary>
internal sealed partial class ProgressReporter : IProgressReporter, IAsyncDisposable
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
    private bool _hasPending;
    private double _pendingPercent;
    private string? _pendingMessage;
    private int _pendingReports;
    private bool _flushScheduled;
    private bool _immediateFlushUsed;
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
        ILogger logger)
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

        // The stage runner has just read the job, so the first look can wait a full interval.
        _lastCancellationCheck = _lastFlushTimestamp;
        _timer = time.CreateTimer(static state => ((ProgressReporter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The seq of the last event this reporter persisted.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    /// <summary>Cancelled once the job's cancellation is seen.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    private string StageName => _stages[_stageIndex];

    /// <summary>Persists and pushes the stage-start event (a stage change always flushes).</summary>
    public async Task StartAsync(int attempt, CancellationToken cancellationToken)
    {
        JsonElement metadata = AttemptMetadata(attempt);
        string message = attempt == 1 ? $"{StageName} started" : $"{StageName} retry (attempt {attempt})";
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                _lastFlushTimestamp = _time.GetTimestamp();
            }

            await WriteAsync(OverallPercent(0), message, null, metadata, attempt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public void Report(double percent, string? message = null)
    {
        if (_cancelled)
        {
            throw new JobCancelledException(_job.JobId);
        }

        double stagePercent = double.IsNaN(percent) ? 0 : Math.Clamp(percent, 0, 100);
        lock (_gate)
        {
            _hasPending = true;
            _pendingPercent = stagePercent;
            _pendingMessage = message ?? _pendingMessage;
            _pendingReports++;

            TimeSpan due;
            if (!_immediateFlushUsed && OverallPercent(stagePercent) >= _options.ImmediateFlushPercent)
            {
                _immediateFlushUsed = true;
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
        await FlushPendingAsync(final: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);

        // Wait for a flush the timer may have started, so nothing writes after the stage ends.
        await _flushLock.WaitAsync().ConfigureAwait(false);
        _flushLock.Release();
        _cancellation.Dispose();
    }

    private void OnTimer() => _ = FlushPendingAsync(final: false, CancellationToken.None);

    private async Task FlushPendingAsync(bool final, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        double percent;
        string? message;
        int reports;
        try
        {
            lock (_gate)
            {
                _flushScheduled = false;
                if (!_hasPending)
                {
                    return;
                }

                percent = _pendingPercent;
                message = _pendingMessage;
                reports = _pendingReports;
                _hasPending = false;
                _pendingReports = 0;

                // The window runs from the start of a flush, so reports made while it writes wait for the next window.
                _lastFlushTimestamp = _time.GetTimestamp();
            }

            try
            {
                await WriteAsync(OverallPercent(percent), message, reports, null, null, cancellationToken).ConfigureAwait(false);
                _metrics.RecordProgressReports(reports);
            }
            catch (Exception ex) when (!final)
            {
                // Keep the values for the next window rather than lose them; the final flush surfaces the failure.
                Log.FlushFailed(_logger, ex, _job.JobId);
                lock (_gate)
                {
                    if (!_hasPending)
                    {
                        _hasPending = true;
                        _pendingPercent = percent;
                        _pendingMessage = message;
                    }

                    _pendingReports += reports;
                    _flushScheduled = true;
                    _timer.Change(_options.FlushWindow, Timeout.InfiniteTimeSpan);
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Persists one progress event, emits it to the event stream, pushes it, then looks for a cancellation request. Caller holds the flush lock.</summary>
    private async Task WriteAsync(double percent, string? message, int? reports, JsonElement? metadata, int? attempt, CancellationToken cancellationToken)
    {
        long seq = _lastSeq + 1;
        DateTimeOffset now = _time.GetUtcNow();
        var progress = new JobMessage
        {
            Type = MessageTypes.Progress,
            JobId = _job.JobId,
            Seq = seq,
            Percent = Math.Round(percent, 2),
            Stage = StageName,
            Message = message,
            Metadata = metadata,
            At = now,
            Coalesced = reports,
        };
        var update = new JobUpdate
        {
            JobId = _job.JobId,
            LastSeq = seq,
            UpdatedAt = now,
            Status = JobStatus.Running,
            Percent = progress.Percent,
            Stage = StageName,
            StageIndex = _stageIndex,
            StageAttempt = attempt,
        };

        await _store.AppendAsync(update, [progress], cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastSeq, seq);
        _metrics.RecordProgressFlush();
        _events.Emit(JobEvent.FromProgress(progress, _stageIndex, _stages.Count, attempt));

        await JobNotifications.PushAsync(_notifier, _job.OwnerId, progress, _metrics, _logger, cancellationToken).ConfigureAwait(false);
        await CheckCancellationAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckCancellationAsync(CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(_lastCancellationCheck) < _options.CancellationCheckInterval)
        {
            return;
        }

        _lastCancellationCheck = _time.GetTimestamp();
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Progress flush for job {JobId} failed; retrying next window")]
        public static partial void FlushFailed(ILogger logger, Exception exception, string jobId);

        [LoggerMessage(2, LogLevel.Warning, "Could not check job {JobId} for cancellation")]
        public static partial void CancellationCheckFailed(ILogger logger, Exception exception, string jobId);
    }

    // The stage start's metadata, {"attempt":"N"}, written directly: progress knows nothing of the handlers' JSON.
    private static JsonElement AttemptMetadata(int attempt)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
