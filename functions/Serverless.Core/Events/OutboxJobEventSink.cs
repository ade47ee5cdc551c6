using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Core.Storage;
using Serverless.EventStream;

namespace Serverless.Core.Events;

/// <summary>
/// <see cref="IJobEventSink"/>: <see cref="Emit"/> only enqueues in memory; this background writer turns the
/// queue into envelopes and appends them to the outbox, one transaction per shard and up to 100 events, retrying
/// with backoff while storage is away. A single writer per process keeps each job's events in order.
/// </summary>
internal sealed class OutboxJobEventSink : BackgroundService, IJobEventSink
{
    private const int MaxEventsPerPass = 1000;
    private static readonly TimeSpan ShutdownDrain = TimeSpan.FromSeconds(5);

    private readonly EventOutbox _outbox;
    private readonly StorageInitializer _storage;
    private readonly ServerlessMetrics _metrics;
    private readonly string _source;
    private readonly TimeSpan _writeInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxJobEventSink> _logger;
    private readonly Channel<JobEvent> _queue;
    private long _dropped;

    public OutboxJobEventSink(
        EventOutbox outbox, StorageInitializer storage, EventStreamOptions options, ServerlessMetrics metrics, TimeProvider time, ILogger<OutboxJobEventSink> logger)
    {
        _outbox = outbox;
        _storage = storage;
        _source = options.Source;
        _metrics = metrics;
        _writeInterval = options.WriteInterval;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        metrics.Meter.CreateObservableGauge(
            MetricNames.EventQueueLength, () => Pending, unit: "{event}", description: "Job events in memory, not yet written to the outbox.");
    }

    /// <summary>Events dropped because the queue was full (storage away for long).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events waiting in memory.</summary>
    public int Pending => _queue.Reader.Count;

    public void Emit(JobEvent jobEvent)
    {
        if (_queue.Writer.TryWrite(jobEvent))
        {
            _metrics.EventsEmitted.Add(1);
            return;
        }

        // Never wait: a job is worth more than its analytics copy. The job's own history in the jobs table is intact.
        if (Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            Log.Dropped(_logger, Dropped);
        }

        _metrics.EventsDropped.Add(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RetryAsync(_storage.EnsureCreatedAsync, stoppingToken).ConfigureAwait(false);
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Each write is a billed transaction: let the events of the next moment join this one's.
                if (_writeInterval > TimeSpan.Zero)
                {
                    await Task.Delay(_writeInterval, _time, stoppingToken).ConfigureAwait(false);
                }

                await WriteQueuedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is written below.
        }

        // Bounded, so a dead storage account cannot hold the host's shutdown.
        using var drain = new CancellationTokenSource(ShutdownDrain, _time);
        try
        {
            while (_queue.Reader.Count > 0)
            {
                await WriteQueuedAsync(drain.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            Log.LostAtShutdown(_logger, _queue.Reader.Count);
        }
    }

    /// <summary>Writes what is queued (up to <see cref="MaxEventsPerPass"/>), shard by shard in emit order.</summary>
    private async Task WriteQueuedAsync(CancellationToken cancellationToken)
    {
        var byShard = new Dictionary<int, List<JobEventEnvelope>>();
        for (int n = 0; n < MaxEventsPerPass && _queue.Reader.TryRead(out JobEvent? jobEvent); n++)
        {
            int shard = _outbox.ShardOf(jobEvent.JobId);
            if (!byShard.TryGetValue(shard, out List<JobEventEnvelope>? list))
            {
                byShard[shard] = list = [];
            }

            list.Add(jobEvent.ToEnvelope(_source));
        }

        foreach ((int shard, List<JobEventEnvelope> events) in byShard)
        {
            foreach (JobEventEnvelope[] chunk in events.Chunk(100))
            {
                // Chunk by chunk, so a retry never rewrites a chunk that was already committed.
                await RetryAsync(ct => _outbox.AppendAsync(shard, chunk, ct), cancellationToken).ConfigureAwait(false);
                _metrics.EventsStored.Add(chunk.Length);
            }
        }
    }

    /// <summary>Retries until it works or <paramref name="cancellationToken"/> fires: 200 ms doubling to 10 s, with jitter.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await action(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.OutboxWriteFailed(_logger, ex, _queue.Reader.Count);
                await Task.Delay(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)), _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
