using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.EventHubs.Consumer;

namespace Serverless.EventStream;

/// <summary>Creates the <see cref="IJobEventReader"/> that <see cref="EventStreamOptions"/> selects: Event Hubs when it names one, else the outbox.</summary>
public static class JobEventReaders
{
    /// <summary>A reader without a host (tools such as the CLI); the outbox, when read, is the table in <paramref name="tables"/>' account.</summary>
    public static IJobEventReader Create(EventStreamOptions options, TableServiceClient tables, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        return Create(options, new EventOutbox(tables.GetTableClient(options.OutboxTable), options.OutboxShards, time), time);
    }

    internal static IJobEventReader Create(EventStreamOptions options, EventOutbox outbox, TimeProvider time) =>
        options.UsesEventHubs
            ? new EventHubJobEventReader(() => CreateConsumer(options))
            : new OutboxJobEventReader(outbox, options, time);

    private static EventHubConsumerClient CreateConsumer(EventStreamOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new EventHubConsumerClient(options.ConsumerGroup, options.FullyQualifiedNamespace, options.EventHubName, new DefaultAzureCredential())
            : new EventHubConsumerClient(options.ConsumerGroup, options.ConnectionString, options.EventHubName);
}
