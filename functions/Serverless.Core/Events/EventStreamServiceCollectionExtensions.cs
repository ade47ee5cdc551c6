using Azure.Identity;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Storage;
using Serverless.EventStream;

namespace Serverless.Core.Events;

/// <summary>Composition entry point for the job event stream.</summary>
internal static class EventStreamServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IJobEventSink"/> (enqueue → outbox writer), the shipper (to Event Hubs when
    /// <c>EventStream</c> names one, else outbox retention) and <see cref="IJobEventReader"/> (Event Hubs or the
    /// outbox, by the same switch), with <see cref="EventStreamOptions"/> bound and validated at start. Both hosts
    /// call it after <c>AddJobRouter()</c>; storage settings come from <c>Storage</c>.
    /// </summary>
    public static IServiceCollection AddEventStream(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            EventStreamOptions options = sp.GetRequiredService<IOptions<EventStreamOptions>>().Value;
            return new EventOutbox(
                sp.GetRequiredService<StorageClients>().Table(options.OutboxTable), options.OutboxShards, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new StorageRequirement([sp.GetRequiredService<IOptions<EventStreamOptions>>().Value.OutboxTable], []));
        services.TryAddSingleton(sp => new OutboxJobEventSink(
            sp.GetRequiredService<EventOutbox>(),
            sp.GetRequiredService<StorageInitializer>(),
            sp.GetRequiredService<IOptions<EventStreamOptions>>().Value,
            sp.GetRequiredService<ServerlessMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxJobEventSink>>()));
        services.TryAddSingleton<IJobEventSink>(sp => sp.GetRequiredService<OutboxJobEventSink>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxJobEventSink>());

        services.TryAddSingleton<IJobEventPublisher>(sp =>
        {
            EventStreamOptions options = sp.GetRequiredService<IOptions<EventStreamOptions>>().Value;
            return new EventHubJobEventPublisher(
                new EventHubProducerSender(CreateProducer(options)),
                options,
                sp.GetRequiredService<ServerlessMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EventHubJobEventPublisher>>());
        });
        services.TryAddSingleton(sp =>
        {
            EventStreamOptions options = sp.GetRequiredService<IOptions<EventStreamOptions>>().Value;
            return new EventOutboxShipper(
                sp.GetRequiredService<EventOutbox>(),
                sp.GetRequiredService<StorageInitializer>().EnsureCreatedAsync,
                options.UsesEventHubs ? sp.GetRequiredService<IJobEventPublisher>() : null,
                options,
                sp.GetRequiredService<ServerlessMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EventOutboxShipper>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<EventOutboxShipper>());

        services.TryAddSingleton(sp => JobEventReaders.Create(
            sp.GetRequiredService<IOptions<EventStreamOptions>>().Value, sp.GetRequiredService<EventOutbox>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static EventHubProducerClient CreateProducer(EventStreamOptions options)
    {
        // Polly retries and breaks around each send; the client's own retry stays short so the two do not multiply.
        var clientOptions = new EventHubProducerClientOptions
        {
            RetryOptions = new EventHubsRetryOptions { MaximumRetries = 1, TryTimeout = options.PublishTimeout },
        };
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new EventHubProducerClient(options.FullyQualifiedNamespace, options.EventHubName, new DefaultAzureCredential(), clientOptions)
            : new EventHubProducerClient(options.ConnectionString, options.EventHubName, clientOptions);
    }
}
