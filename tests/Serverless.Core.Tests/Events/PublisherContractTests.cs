using System.Text.Json;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Serverless.Core.Events;
using Serverless.Core.Storage;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Events;

/// <summary>The Event Hubs side without Event Hubs: envelope contract and batching, against EventHubsModelFactory batches.</summary>
public sealed class PublisherContractTests(ITestOutputHelper output)
{
    private const long OneMegabyte = 1_048_576;

    [Fact]
    public void Envelope_CarriesCloudEventsAttributesAsAmqpProperties()
    {
        JobMessage progress = new()
        {
            Type = MessageTypes.Progress, JobId = "jabc", Seq = 7, Percent = 42.5, Stage = "transform", Message = "half way", At = DateTimeOffset.Parse("2025-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), Coalesced = 3,
        };
        JobEventEnvelope envelope = JobEvent.FromProgress(progress, 1, 3, attempt: null).ToEnvelope("/serverless/jobs");
        EventData data = CloudEventMapping.ToEventData(envelope);

        Assert.Equal("application/json", data.ContentType);
        Assert.Equal("jabc.7", data.MessageId);
        Assert.Equal("1.0", data.Properties["cloudEvents_specversion"]);
        Assert.Equal("jabc.7", data.Properties["cloudEvents_id"]);
        Assert.Equal("/serverless/jobs", data.Properties["cloudEvents_source"]);
        Assert.Equal(JobEventTypes.Progress, data.Properties["cloudEvents_type"]);
        Assert.Equal(progress.At, data.Properties["cloudEvents_time"]);
        Assert.Equal("jabc", data.Properties["cloudEvents_subject"]);
        Assert.Equal("jabc", data.Properties["cloudEvents_partitionkey"]);
        Assert.Equal(7L, data.Properties["cloudEvents_seq"]);

        using JsonDocument body = JsonDocument.Parse(data.EventBody.ToMemory());
        Assert.Equal(7, body.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal("transform", body.RootElement.GetProperty("stage").GetString());
        Assert.Equal(42.5, body.RootElement.GetProperty("percent").GetDouble());
        Assert.Equal(3, body.RootElement.GetProperty("coalesced").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("error", out _), "nulls are omitted");

        // What a consumer reads back is the same envelope.
        EventData received = EventHubsModelFactory.EventData(data.EventBody, data.Properties, new Dictionary<string, object>(), partitionKey: null, sequenceNumber: 1, offsetString: "0", enqueuedTime: DateTimeOffset.UtcNow);
        JobEventEnvelope read = CloudEventMapping.FromEventData(received)!;
        Assert.Equal(envelope with { Data = read.Data }, read);
        Assert.Equal(envelope.Data.ToString(), read.Data.ToString());
    }

    [Fact]
    public void EventIds_AreStable_SoRedeliveriesDedupe()
    {
        var job = new JobRecord { JobId = "jx", RequestId = "r", OwnerId = "o", Action = "a", CreatedAt = DateTimeOffset.UnixEpoch };
        var terminal = new JobMessage { Type = MessageTypes.Completed, JobId = "jx", Seq = 9, At = DateTimeOffset.UnixEpoch.AddSeconds(3) };
        Assert.Equal(JobEvent.FromTerminal(terminal, job).Id, JobEvent.FromTerminal(terminal, job).Id);
        Assert.Equal("jx.9", JobEvent.FromTerminal(terminal, job).Id);
        Assert.Equal(JobEvent.Submitted(job).Id, JobEvent.Submitted(job).Id);
        Assert.NotEqual(JobEvent.Submitted(job).Id, JobEvent.Submitted(job with { CreatedAt = job.CreatedAt.AddTicks(1) }).Id);
        Assert.Equal(3000, JobEvent.FromTerminal(terminal, job).Data.DurationMs);
    }

    [Fact]
    public async Task Publish_FillsBatchesToNinetyPercent_KeepsEachJobInOnePartitionInOrder()
    {
        var sender = new FakeBatchSender(OneMegabyte);
        var publisher = new EventHubJobEventPublisher(sender, new EventStreamOptions(), TestMetrics.Create(), TimeProvider.System, NullLogger<EventHubJobEventPublisher>.Instance);
        IReadOnlyList<JobEventEnvelope> events = SampleEvents(jobs: 300, perJob: 40);

        await publisher.PublishAsync(events, CancellationToken.None);

        List<EventData> delivered = [.. sender.Sent.SelectMany(b => b.Events)];
        Assert.Equal(events.Count, delivered.Count);
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), delivered.Select(d => d.MessageId).Order(StringComparer.Ordinal));
        foreach (IGrouping<string, SentBatch> partition in sender.Sent.GroupBy(b => b.PartitionId))
        {
            // Every batch but a partition's last is full: TryAdd refused the next event.
            foreach (SentBatch batch in partition.SkipLast(1))
            {
                Assert.True(batch.Fill >= 0.9, $"partition {partition.Key}: a batch only {batch.Fill:P1} full");
            }
        }

        foreach (IGrouping<string, (string PartitionId, EventData Data)> job in sender.Sent
            .SelectMany(b => b.Events.Select(e => (b.PartitionId, Data: e)))
            .GroupBy(x => (string)x.Data.Properties["cloudEvents_partitionkey"]))
        {
            Assert.Single(job.Select(x => x.PartitionId).Distinct());
            long[] seqs = [.. job.Select(x => (long)x.Data.Properties["cloudEvents_seq"])];
            Assert.Equal(seqs.Order(), seqs);
        }

        double fullFill = sender.Sent.GroupBy(b => b.PartitionId).SelectMany(p => p.SkipLast(1)).Average(b => b.Fill);
        output.WriteLine($"{events.Count} events in {sender.Sent.Count} batches; full batches {fullFill:P1} of 1 MiB on average");
    }

    [Fact]
    public async Task Publish_RetriesATransientFailure()
    {
        var sender = new FakeBatchSender(OneMegabyte) { FailuresLeft = 1 };
        var publisher = new EventHubJobEventPublisher(sender, new EventStreamOptions { PublishRetries = 2 }, TestMetrics.Create(), TimeProvider.System, NullLogger<EventHubJobEventPublisher>.Instance);

        await publisher.PublishAsync(SampleEvents(jobs: 1, perJob: 5), CancellationToken.None);

        Assert.Equal(2, sender.Attempts);
        Assert.Equal(5, sender.Sent.Sum(b => b.Events.Count));
    }

    [Fact]
    public async Task Publish_OpensTheCircuit_ThenFailsFastWithoutCallingEventHubs()
    {
        var sender = new FakeBatchSender(OneMegabyte, partitions: 1) { FailuresLeft = int.MaxValue };
        var publisher = new EventHubJobEventPublisher(sender, new EventStreamOptions { PublishRetries = 0 }, TestMetrics.Create(), TimeProvider.System, NullLogger<EventHubJobEventPublisher>.Instance);
        IReadOnlyList<JobEventEnvelope> events = SampleEvents(jobs: 1, perJob: 1);
        for (int i = 0; i < 4; i++)
        {
            Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => publisher.PublishAsync(events, CancellationToken.None));
            Assert.True(failure is EventHubsException || failure.InnerException is EventHubsException, failure.ToString());
        }

        Assert.Equal(CircuitState.Open, publisher.State);
        int attempts = sender.Attempts;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => publisher.PublishAsync(events, CancellationToken.None));
        Assert.Equal(attempts, sender.Attempts);
    }

    /// <summary>Realistic progress events: a job id, a stage, a message, interleaved across jobs.</summary>
    internal static IReadOnlyList<JobEventEnvelope> SampleEvents(int jobs, int perJob)
    {
        var events = new List<JobEventEnvelope>(jobs * perJob);
        DateTimeOffset at = DateTimeOffset.UnixEpoch;
        for (int seq = 1; seq <= perJob; seq++)
        {
            for (int j = 0; j < jobs; j++)
            {
                string jobId = JobKeys.JobId("user-" + j, "request-" + j);
                var message = new JobMessage
                {
                    Type = MessageTypes.Progress, JobId = jobId, Seq = seq, Percent = seq * 100.0 / perJob, Stage = "transform", Message = $"processed {seq * 1000} records", At = at, Coalesced = 12,
                };
                events.Add(JobEvent.FromProgress(message, 1, 3, attempt: null).ToEnvelope("/serverless/jobs"));
            }
        }

        return events;
    }
}
