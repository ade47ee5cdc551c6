using System.Runtime.CompilerServices;
using Azure.Messaging.EventHubs.Consumer;

namespace Serverless.EventStream;

/// <summary>
/// <see cref="IJobEventReader"/> over Event Hubs with <see cref="EventHubConsumerClient"/>: every partition, from
/// the earliest retained event or from now. Checkpoint-free by design: it is for tailing and dashboards; durable
/// consumers use their own processor and checkpoints.
/// </summary>
internal sealed class EventHubJobEventReader(Func<EventHubConsumerClient> createConsumer) : IJobEventReader
{
    public async IAsyncEnumerable<JobEventEnvelope> ReadAsync(string? jobId, bool fromStart, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EventHubConsumerClient consumer = createConsumer();
        await using (consumer.ConfigureAwait(false))
        {
            await foreach (PartitionEvent received in consumer.ReadEventsAsync(fromStart, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (received.Data is not null && CloudEventMapping.FromEventData(received.Data) is { } envelope
                    && (jobId is null || envelope.Subject == jobId))
                {
                    yield return envelope;
                }
            }
        }
    }
}
