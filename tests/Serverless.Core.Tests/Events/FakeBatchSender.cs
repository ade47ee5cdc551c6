using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Serverless.Core.Events;
using Serverless.Testing;

namespace Serverless.Core.Tests.Events;

/// <summary>An Event Hubs stand-in: model-factory batches, a record of every send, and failures on demand.</summary>
internal sealed class FakeBatchSender(long maxBatchBytes, int partitions = 4) : IEventBatchSender
{
    private readonly ModelFactoryBatches _batches = new(maxBatchBytes);
    private readonly Dictionary<EventDataBatch, (Func<long> Size, List<EventData> Events, string PartitionId)> _open = [];

    public List<SentBatch> Sent { get; } = [];

    public int Attempts { get; private set; }

    /// <summary>Sends to fail before they start to work.</summary>
    public int FailuresLeft { get; set; }

    public Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Range(0, partitions).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    public ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken)
    {
        EventDataBatch batch = _batches.Create(options, out Func<long> size, out List<EventData> events);
        lock (_open)
        {
            _open[batch] = (size, events, options.PartitionId!);
        }

        return ValueTask.FromResult(batch);
    }

    public Task SendAsync(EventDataBatch batch, CancellationToken cancellationToken)
    {
        lock (_open)
        {
            Attempts++;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new EventHubsException(isTransient: true, "test-hub", "Simulated outage.", EventHubsException.FailureReason.ServiceCommunicationProblem);
            }

            (Func<long> size, List<EventData> events, string partitionId) = _open[batch];
            Sent.Add(new SentBatch(partitionId, [.. events], size(), _batches.MaxBytes));
        }

        return Task.CompletedTask;
    }
}
