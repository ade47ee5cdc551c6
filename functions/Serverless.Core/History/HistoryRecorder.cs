using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.History;

/// <summary>
/// Rolls this host's job metrics up per minute and action (submitted; completed, failed, cancelled; durations and
/// async acks as <see cref="LatencyBuckets"/>) and writes each finished minute to <see cref="HistoryStore"/> every
/// <see cref="HistoryOptions.WriteInterval"/>, under an id of its own so instances never overwrite each other.
/// Minutes that could not be written are kept for an hour; the current minute is written at shutdown. Rows older
/// than <see cref="HistoryOptions.RetentionDays"/> are deleted once an hour.
/// </summary>
internal sealed class HistoryRecorder : BackgroundService
{
    private static readonly TimeSpan KeepUnwritten = TimeSpan.FromHours(1);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly HistoryStore _store;
    private readonly StorageInitializer _initializer;
    private readonly HistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HistoryRecorder> _logger;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(DateTimeOffset Minute, string Action), MinuteRollup> _minutes = [];
    private readonly Lock _gate = new();
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public HistoryRecorder(
        HistoryStore store, StorageInitializer initializer, IOptions<HistoryOptions> options, ServerlessMetrics metrics, TimeProvider time, ILogger<HistoryRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _initializer = initializer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (metrics.Owns(instrument) && instrument.Name is MetricNames.JobsSubmitted or MetricNames.JobsFinished or MetricNames.JobDuration or MetricNames.AckLatency)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Count(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Time(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>This instance's minutes not written yet (the current one, and any whose write failed), as copies.</summary>
    public IReadOnlyList<MinuteRollup> Unwritten()
    {
        lock (_gate)
        {
            return [.. _minutes.Values.Select(m =>
            {
                var copy = new MinuteRollup(m.Minute, m.Action);
                copy.Merge(m);
                return copy;
            })];
        }
    }

    /// <summary>
    /// Writes every minute that has ended (all of them with <paramref name="includeCurrent"/>). Any failure (storage
    /// away answers in several exception types, e.g. an AggregateException once the SDK's retries run out) keeps the
    /// minutes for the next write: a background writer that threw would stop the whole host.
    /// </summary>
    public async Task WriteAsync(bool includeCurrent, CancellationToken cancellationToken)
    {
        DateTimeOffset current = MinuteOf(_time.GetUtcNow());
        MinuteRollup[] due;
        lock (_gate)
        {
            due = [.. _minutes.Values.Where(m => includeCurrent || m.Minute < current)];
            foreach (MinuteRollup rollup in due)
            {
                _minutes.Remove((rollup.Minute, rollup.Action));
            }
        }

        if (due.Length == 0)
        {
            return;
        }

        try
        {
            await _initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await _store.WriteAsync(_instanceId, due, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.WriteFailed(_logger, ex, due.Length);
            lock (_gate)
            {
                foreach (MinuteRollup rollup in due.Where(r => current - r.Minute < KeepUnwritten))
                {
                    Rollup(rollup.Minute, rollup.Action).Merge(rollup);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(includeCurrent: true, cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.WriteInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await WriteAsync(includeCurrent: false, stoppingToken).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            if (now - _lastPurge >= PurgeInterval)
            {
                _lastPurge = now;
                try
                {
                    await _store.PurgeAsync(now.AddDays(-_options.RetentionDays), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PurgeFailed(_logger, ex);
                }
            }
        }
    }

    private void Count(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string action = Tag(tags, "action") ?? "unknown";
        lock (_gate)
        {
            MinuteRollup rollup = Rollup(MinuteOf(_time.GetUtcNow()), action);
            if (instrument == MetricNames.JobsSubmitted)
            {
                rollup.Submitted += value;
                return;
            }

            switch (Tag(tags, "status"))
            {
                case JobStatus.Completed: rollup.Completed += value; break;
                case JobStatus.Failed: rollup.Failed += value; break;
                case JobStatus.Cancelled: rollup.Cancelled += value; break;
            }
        }
    }

    private void Time(string instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string action = Tag(tags, "action") ?? "unknown";
        lock (_gate)
        {
            MinuteRollup rollup = Rollup(MinuteOf(_time.GetUtcNow()), action);
            (instrument == MetricNames.AckLatency ? rollup.Acks : rollup.Durations).Add(seconds * 1000);
        }
    }

    private MinuteRollup Rollup(DateTimeOffset minute, string action)
    {
        if (!_minutes.TryGetValue((minute, action), out MinuteRollup? rollup))
        {
            rollup = new MinuteRollup(minute, action);
            _minutes[(minute, action)] = rollup;
        }

        return rollup;
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcDateTime.Ticks - (time.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
