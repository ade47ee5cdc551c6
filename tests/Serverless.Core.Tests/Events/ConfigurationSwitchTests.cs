using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Core.Events;
using Serverless.EventStream;

namespace Serverless.Core.Tests.Events;

/// <summary>EventStream settings decide where events go: outbox only, or shipped to Event Hubs.</summary>
public sealed class ConfigurationSwitchTests
{
    [Fact]
    public void NotConfigured_OutboxOnly_ReaderOnTheOutbox()
    {
        using ServiceProvider services = Build([]);
        Assert.False(services.GetRequiredService<EventOutboxShipper>().Ships);
        Assert.IsType<OutboxJobEventReader>(services.GetRequiredService<IJobEventReader>());
        Assert.IsType<OutboxJobEventSink>(services.GetRequiredService<IJobEventSink>());
    }

    [Theory]
    [InlineData("EventStream:FullyQualifiedNamespace", "example.servicebus.windows.net")]
    [InlineData("EventStream:ConnectionString", "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5")]
    public void Configured_ShippedByTheProducer_ReaderOnEventHubs(string key, string value)
    {
        using ServiceProvider services = Build(new() { [key] = value, ["EventStream:EventHubName"] = "jobs" });
        Assert.True(services.GetRequiredService<EventOutboxShipper>().Ships);
        Assert.IsType<EventHubJobEventPublisher>(services.GetRequiredService<IJobEventPublisher>());
        Assert.IsType<EventHubJobEventReader>(services.GetRequiredService<IJobEventReader>());

        // Jobs still only enqueue: the outbox comes first either way.
        Assert.IsType<OutboxJobEventSink>(services.GetRequiredService<IJobEventSink>());
    }

    [Theory]
    [InlineData("EventStream:FullyQualifiedNamespace", "example.servicebus.windows.net", "EventHubName")]
    [InlineData("EventStream:FullyQualifiedNamespace", "https://example.servicebus.windows.net", "not a URL")]
    [InlineData("EventStream:OutboxShards", "0", "OutboxShards")]
    public void InvalidSettings_FailValidation(string key, string value, string message)
    {
        using ServiceProvider services = Build(new() { [key] = value });
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EventStreamOptions>>().Value);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddJobRouter();
        services.AddEventStream();
        return services.BuildServiceProvider();
    }
}
