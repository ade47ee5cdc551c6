using Azure.Messaging.EventHubs.Producer;

namespace Serverless.Core.Events;

/// <summary><see cref="IEventBatchSender"/> over a real <see cref="EventHubProducerClient"/>.</summary>
internal sealed class EventHubProducerSender(EventHubProducerClient producer) : IEventBatchSender, IAsyncDisposable
{
    public Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken) => producer.GetPartitionIdsAsync(cancellationToken);

    public ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken) =>
        producer.CreateBatchAsync(options, cancellationToken);

    public Task SendAsync(EventDataBatch batch, CancellationToken cancellationToken) => producer.SendAsync(batch, cancellationToken);

    public ValueTask DisposeAsync() => producer.DisposeAsync();
}
