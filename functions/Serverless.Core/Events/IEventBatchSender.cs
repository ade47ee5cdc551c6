using Azure.Messaging.EventHubs.Producer;

namespace Serverless.Core.Events;

/// <summary>
/// The three calls the publisher makes on <see cref="EventHubProducerClient"/>; a seam so batching, routing and
/// resilience are tested with <c>EventHubsModelFactory</c> batches, since no Event Hubs endpoint runs here.
/// </summary>
internal interface IEventBatchSender
{
    Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken);

    ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken);

    Task SendAsync(EventDataBatch batch, CancellationToken cancellationToken);
}
