using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace Serverless.Testing;

/// <summary>
/// <see cref="EventDataBatch"/>es from <see cref="EventHubsModelFactory"/> that accept events while their
/// estimated AMQP size fits the limit, as a real batch does. The estimate: body, each property's name and value,
/// and a fixed per-message overhead for the AMQP sections (header, properties, annotations, framing).
/// </summary>
public sealed class ModelFactoryBatches(long maxBytes)
{
    public const long PerEventOverhead = 96;

    public long MaxBytes { get; } = maxBytes;

    public EventDataBatch Create(CreateBatchOptions options, out Func<long> sizeInBytes, out List<EventData> events)
    {
        var store = new List<EventData>();
        long size = 0;
        EventDataBatch batch = EventHubsModelFactory.EventDataBatch(MaxBytes, store, options, data =>
        {
            long next = size + EstimateSize(data);
            if (next > MaxBytes)
            {
                return false;
            }

            size = next;
            return true;
        });
        sizeInBytes = () => size;
        events = store;
        return batch;
    }

    public static long EstimateSize(EventData data)
    {
        long size = PerEventOverhead + data.EventBody.ToMemory().Length + (data.MessageId?.Length ?? 0) + (data.ContentType?.Length ?? 0);
        foreach (KeyValuePair<string, object> property in data.Properties)
        {
            size += property.Key.Length + 4 + property.Value switch
            {
                string text => text.Length,
                DateTimeOffset or long => 9,
                _ => 8,
            };
        }

        return size;
    }
}
