using Azure.Messaging.EventHubs.Producer;
using Serverless.Core.Events;
using Serverless.Testing;

namespace Serverless.Benchmarks;

/// <summary>An Event Hubs stand-in that keeps only totals: batches, events and bytes sent against the batch limit.</summary>
internal sealed class CountingBatchSender(long maxBatchBytes, int partitions) : IEventBatchSender
{
    private readonly ModelFactoryBatches _batches = new(maxBatchBytes);
    private readonly Dictionary<EventDataBatch, Func<long>> _sizes = [];
    private readonly string[] _partitionIds = [.. Enumerable.Range(0, partitions).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public long Batches { get; private set; }

    public long Events { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Bytes sent over the bytes the sent batches could have held.</summary>
    public double Fill => Batches == 0 ? 0 : (double)Bytes / (Batches * maxBatchBytes);

    public Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken) => Task.FromResult(_partitionIds);

    public ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken)
    {
        EventDataBatch batch = _batches.Create(options, out Func<long> size, out _);
        lock (_sizes)
        {
            _sizes[batch] = size;
        }

        return ValueTask.FromResult(batch);
    }

    public Task SendAsync(EventDataBatch batch, CancellationToken cancellationToken)
    {
        lock (_sizes)
        {
            _sizes.Remove(batch, out Func<long>? size);
            Batches++;
            Events += batch.Count;
            Bytes += size!();
        }

        return Task.CompletedTask;
    }
}
