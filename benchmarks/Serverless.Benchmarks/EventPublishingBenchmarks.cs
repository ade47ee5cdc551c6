using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Events;
using Serverless.EventStream;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Benchmarks;

/// <summary>
/// The Event Hubs publishing path: envelopes → AMQP events → per-partition <c>EventDataBatch</c>es → send.
/// Goal: ≥ 50,000 events/s and batches ≥ 90 % full. Baseline: the same path with room for one event per batch.
/// </summary>
[MemoryDiagnoser]
public class EventPublishingBenchmarks
{
    /// <summary>Events per operation: enough that each partition fills many 1 MB batches.</summary>
    public const int EventsPerPublish = 50_000;

    public const long StandardBatchBytes = 1_048_576;

    public const int Partitions = 4;

    private JobEventEnvelope[] _envelopes = [];
    private long _singleEventBatchBytes;

    [GlobalSetup]
    public void Setup()
    {
        _envelopes = CreateEnvelopes(EventsPerPublish);
        _singleEventBatchBytes = _envelopes.Max(e => ModelFactoryBatches.EstimateSize(CloudEventMapping.ToEventData(e)));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerPublish)]
    public Task OneEventPerBatch() => PublishAsync(_envelopes, _singleEventBatchBytes);

    [Benchmark(OperationsPerInvoke = EventsPerPublish)]
    public Task Batched() => PublishAsync(_envelopes, StandardBatchBytes);

    /// <summary>Publishes once and answers the sender's totals (for the fill ratio).</summary>
    internal static async Task<CountingBatchSender> PublishAsync(IReadOnlyList<JobEventEnvelope> envelopes, long maxBatchBytes)
    {
        var sender = new CountingBatchSender(maxBatchBytes, Partitions);
        var publisher = new EventHubJobEventPublisher(sender, new EventStreamOptions(), BenchmarkMetrics.Create(), TimeProvider.System, NullLogger<EventHubJobEventPublisher>.Instance);
        await publisher.PublishAsync(envelopes, CancellationToken.None);
        return sender;
    }

    /// <summary>Progress events of 1,000 jobs, as a busy host emits them.</summary>
    public static JobEventEnvelope[] CreateEnvelopes(int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var progress = new JobMessage
            {
                Type = MessageTypes.Progress,
                JobId = $"j{i % 1000:x31}",
                Seq = (i / 1000) + 1,
                Percent = i % 100,
                Stage = "analyze",
                Message = $"analyzed region {i % 8}",
                At = start.AddMilliseconds(i),
                Coalesced = 12,
            };
            return JobEvent.FromProgress(progress, stageIndex: 1, stageCount: 4, attempt: null).ToEnvelope("/serverless/jobs");
        })];
    }
}
