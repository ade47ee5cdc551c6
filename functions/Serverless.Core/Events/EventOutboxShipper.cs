using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.EventStream;

namespace Serverless.Core.Events;

/// <summary>
/// Moves the outbox to Event Hubs: per shard, hour by hour from the watermark, reads the oldest rows, publishes
/// them and only then deletes them (so a failure re-sends, never loses). A shard never moves to a later hour
/// while an earlier one still holds rows, which keeps each job's events in order. Only the lease holder ships.
/// Without Event Hubs (no publisher) it applies <see cref="EventStreamOptions.OutboxRetention"/> instead.
/// </summary>
internal sealed class EventOutboxShipper : BackgroundService
{
    internal const string ShipperWatermark = "shipper";
    internal const string RetentionWatermark = "retention";
    private const string LeaseName = "shipper-lease";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(10);

    private readonly EventOutbox _outbox;
    private readonly Func<CancellationToken, Task> _storageReady;
    private readonly ServerlessMetrics _metrics;
    private readonly IJobEventPublisher? _publisher;
    private readonly EventStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventOutboxShipper> _logger;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private long _leaseRenewedAt = long.MinValue;

    /// <param name="outbox">The outbox the events are read from.</param>
    /// <param name="storageReady">Completes once the outbox table exists (on fresh storage the host creates it at start).</param>
    /// <param name="publisher">The Event Hubs publisher; null when events stay in the outbox for its retention.</param>
    /// <param name="options">The event stream's settings.</param>
    /// <param name="metrics">Where shipped and failed counts go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public EventOutboxShipper(
        EventOutbox outbox,
        Func<CancellationToken, Task> storageReady,
        IJobEventPublisher? publisher,
        EventStreamOptions options,
        ServerlessMetrics metrics,
        TimeProvider time,
        ILogger<EventOutboxShipper> logger)
    {
        _outbox = outbox;
        _storageReady = storageReady;
        _publisher = publisher;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether this instance ships to Event Hubs (else it only applies retention).</summary>
    public bool Ships => _publisher is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan backoff = _options.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool busy;
            try
            {
                await _storageReady(stoppingToken).ConfigureAwait(false);
                busy = _publisher is null
                    ? await ApplyRetentionAsync(stoppingToken).ConfigureAwait(false)
                    : await ShipPassAsync(_publisher, stoppingToken).ConfigureAwait(false);
                backoff = _options.PollInterval;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Event Hubs or storage is away: the rows stay; try again later, backing off to 30 s.
                _metrics.EventPublishFailures.Add(1);
                Log.PassFailed(_logger, ex);
                busy = false;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }

            if (!busy)
            {
                try
                {
                    await Task.Delay(_publisher is null ? RetentionInterval : backoff, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One shipping pass; true when it shipped something (so the next pass starts at once).</summary>
    internal async Task<bool> ShipPassAsync(IJobEventPublisher publisher, CancellationToken cancellationToken)
    {
        if (!await HoldLeaseAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset current = EventOutbox.BucketOf(now);
        DateTimeOffset watermark = await _outbox.GetWatermarkAsync(ShipperWatermark, cancellationToken).ConfigureAwait(false)
            ?? EventOutbox.BucketOf(now - _options.OutboxRetention);

        // Per shard: the oldest hour that still has rows, read up to a page.
        var rows = new List<OutboxRow>();
        bool allDrainedBeforeCurrent = true;
        DateTimeOffset lowestNonEmpty = current;
        for (int shard = 0; shard < _outbox.Shards; shard++)
        {
            for (DateTimeOffset bucket = watermark; bucket <= current; bucket += EventOutbox.BucketWidth)
            {
                IReadOnlyList<OutboxRow> page = await _outbox.ReadAsync(EventOutbox.PartitionKeyOf(bucket, shard), null, null, _options.ShipBatchSize, cancellationToken)
                    .ConfigureAwait(false);
                if (page.Count > 0)
                {
                    rows.AddRange(page);
                    if (bucket < lowestNonEmpty)
                    {
                        lowestNonEmpty = bucket;
                    }

                    if (bucket < current)
                    {
                        allDrainedBeforeCurrent = false;
                    }

                    break;
                }
            }
        }

        if (rows.Count > 0)
        {
            await publisher.PublishAsync([.. rows.Select(r => r.Envelope)], cancellationToken).ConfigureAwait(false);
            await _outbox.DeleteAsync(rows, cancellationToken).ConfigureAwait(false);
        }

        // Leave an hour only once it is empty and no late row can still land in it.
        DateTimeOffset settled = EventOutbox.BucketOf(now - _options.Grace);
        DateTimeOffset next = allDrainedBeforeCurrent ? settled : (lowestNonEmpty < settled ? lowestNonEmpty : settled);
        if (next > watermark)
        {
            await _outbox.SetWatermarkAsync(ShipperWatermark, next, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count > 0;
    }

    /// <summary>Deletes whole hours older than the retention; false (nothing more to do now) when caught up.</summary>
    internal async Task<bool> ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = EventOutbox.BucketOf(_time.GetUtcNow() - _options.OutboxRetention);

        // First run: nothing older than the retention window plus a day of slack is looked for.
        DateTimeOffset from = await _outbox.GetWatermarkAsync(RetentionWatermark, cancellationToken).ConfigureAwait(false)
            ?? cutoff - TimeSpan.FromDays(1);
        if (from >= cutoff)
        {
            return false;
        }

        int deleted = await _outbox.DeleteBucketAsync(from, cancellationToken).ConfigureAwait(false);
        await _outbox.SetWatermarkAsync(RetentionWatermark, from + EventOutbox.BucketWidth, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            Log.Retained(_logger, deleted, from);
        }

        return true;
    }

    private async Task<bool> HoldLeaseAsync(CancellationToken cancellationToken)
    {
        // Renewed at a third of its duration; a lost lease stops shipping within one pass.
        if (_leaseRenewedAt != long.MinValue && _time.GetElapsedTime(_leaseRenewedAt) < LeaseDuration / 3)
        {
            return true;
        }

        if (await _outbox.TryAcquireLeaseAsync(LeaseName, _owner, LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            _leaseRenewedAt = _time.GetTimestamp();
            return true;
        }

        _leaseRenewedAt = long.MinValue;
        return false;
    }
}
