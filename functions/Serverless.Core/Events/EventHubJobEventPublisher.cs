using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Serverless.Core.Diagnostics;
using Serverless.EventStream;

namespace Serverless.Core.Events;

/// <summary>
/// Publishes to Event Hubs: routes each job to one partition (stable hash of the job id), fills an
/// <see cref="EventDataBatch"/> per partition until <c>TryAdd</c> refuses, and sends it through retries with
/// exponential backoff and a circuit breaker, so a dead Event Hubs is probed, not hammered.
/// </summary>
internal sealed class EventHubJobEventPublisher : IJobEventPublisher
{
    private readonly IEventBatchSender _sender;
    private readonly long? _maxBatchBytes;
    private readonly ServerlessMetrics _metrics;
    private readonly ILogger<EventHubJobEventPublisher> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private string[]? _partitionIds;

    public EventHubJobEventPublisher(
        IEventBatchSender sender, EventStreamOptions options, ServerlessMetrics metrics, TimeProvider time, ILogger<EventHubJobEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        _maxBatchBytes = options.MaxBatchBytes;
        _metrics = metrics;
        _logger = logger;
        PredicateBuilder<object> transient = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not BrokenCircuitException);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.PublishRetries > 0)
        {
            // An open circuit is not retried: the shipper backs off and tries the whole pass again later.
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.PublishRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(15),
                ShouldHandle = transient,
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                StateProvider = _breaker,
                ShouldHandle = transient,
            })
            .AddTimeout(options.PublishTimeout)
            .Build();
    }

    /// <summary>Closed (sending), Open (failing fast), HalfOpen (probing).</summary>
    public CircuitState State => _breaker.CircuitState;

    public async Task PublishAsync(IReadOnlyList<JobEventEnvelope> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        string[] partitions = _partitionIds ??= await _pipeline.ExecuteAsync(
            async ct => await _sender.GetPartitionIdsAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var byPartition = new List<JobEventEnvelope>?[partitions.Length];
        foreach (JobEventEnvelope e in events)
        {
            (byPartition[CloudEventMapping.PartitionIndex(e.Subject, partitions.Length)] ??= []).Add(e);
        }

        // Partitions are independent streams: send them concurrently, each strictly in order.
        var sends = new List<Task>(partitions.Length);
        for (int p = 0; p < partitions.Length; p++)
        {
            if (byPartition[p] is { } partitionEvents)
            {
                sends.Add(PublishPartitionAsync(partitions[p], partitionEvents, cancellationToken));
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task PublishPartitionAsync(string partitionId, List<JobEventEnvelope> events, CancellationToken cancellationToken)
    {
        var options = new CreateBatchOptions { PartitionId = partitionId, MaximumSizeInBytes = _maxBatchBytes };
        EventDataBatch batch = await _sender.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (JobEventEnvelope envelope in events)
            {
                EventData data = CloudEventMapping.ToEventData(envelope);
                if (batch.TryAdd(data))
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    // Cannot happen with bounded event data; skipping beats blocking every later event forever.
                    Log.TooLarge(_logger, envelope.Id);
                    continue;
                }

                await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Dispose();
                batch = await _sender.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
                if (!batch.TryAdd(data))
                {
                    Log.TooLarge(_logger, envelope.Id);
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    private async Task SendAsync(EventDataBatch batch, CancellationToken cancellationToken)
    {
        await _pipeline.ExecuteAsync(
            static async (state, ct) => await state.Sender.SendAsync(state.Batch, ct).ConfigureAwait(false),
            (Sender: _sender, Batch: batch),
            cancellationToken).ConfigureAwait(false);
        _metrics.EventsShipped.Add(batch.Count);
        if (batch.MaximumSizeInBytes > 0)
        {
            _metrics.EventBatchFill.Record((double)batch.SizeInBytes / batch.MaximumSizeInBytes);
        }
    }
}
