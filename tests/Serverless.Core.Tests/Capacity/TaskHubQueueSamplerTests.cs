using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Capacity;
using Serverless.Core.Diagnostics;
using Serverless.Core.Tests.Events;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.Capacity;

/// <summary>The task hub's queues as the Azure Storage backend lays them out, on a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskHubQueueSamplerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sample_QueuesWithWaitingAndRedeliveredMessages_CountsDepthOldestAgeAndPoison()
    {
        var hub = new TaskHubQueues("Hub" + Guid.NewGuid().ToString("N")[..8], partitionCount: 2);
        var service = new QueueServiceClient(azurite.ConnectionString);
        QueueClient control0 = await CreateAsync(service, hub.ControlQueues[0]);
        QueueClient control1 = await CreateAsync(service, hub.ControlQueues[1]);
        QueueClient workItems = await CreateAsync(service, hub.WorkItemQueue);
        await control0.SendMessageAsync("a");
        await control1.SendMessageAsync("b");
        await control1.SendMessageAsync("c");
        await workItems.SendMessageAsync("poison");
        for (int delivery = 0; delivery < 3; delivery++)
        {
            // Delivered and never completed, as a message whose handler keeps crashing.
            QueueMessage message = (await workItems.ReceiveMessageAsync()).Value;
            Assert.Equal(delivery + 1, message.DequeueCount);
            await workItems.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        PeekedMessage oldest = (await control1.PeekMessageAsync()).Value;
        var time = new FakeTimeProvider(oldest.InsertedOn!.Value.AddSeconds(90));
        ServerlessMetrics metrics = TestMetrics.Create();
        var sut = new TaskHubQueueSampler(
            hub, service, Options.Create(new CapacityOptions { PoisonDequeueCount = 3 }), metrics, time, NullLogger<TaskHubQueueSampler>.Instance);

        TaskHubQueueSample sample = await sut.SampleAsync(CancellationToken.None);

        Assert.Equal(3, sample.ControlQueueMessages);
        Assert.InRange(sample.ControlQueueOldestAgeSeconds, 89, 91);
        Assert.Equal(1, sample.WorkItemQueueMessages);
        Assert.Equal(1, sample.PoisonMessages);
        using var capacity = new CapacityStatistics(metrics, time);
        CapacitySnapshot figures = capacity.Snapshot();
        Assert.Equal(3, figures.ControlQueueMessages);
        Assert.Equal(1, figures.PoisonMessages);
    }

    [Fact]
    public async Task Sample_HubNotCreatedYet_IsEmptyNotAnError()
    {
        var hub = new TaskHubQueues("Missing" + Guid.NewGuid().ToString("N")[..8], partitionCount: 4);
        var sut = new TaskHubQueueSampler(
            hub, new QueueServiceClient(azurite.ConnectionString), Options.Create(new CapacityOptions()), TestMetrics.Create(), TimeProvider.System,
            NullLogger<TaskHubQueueSampler>.Instance);

        TaskHubQueueSample sample = await sut.SampleAsync(CancellationToken.None);

        Assert.Equal((0, 0, 0, 0, 0), (sample.ControlQueueMessages, sample.ControlQueueOldestAgeSeconds, sample.WorkItemQueueMessages, sample.WorkItemQueueOldestAgeSeconds, sample.PoisonMessages));
    }

    [Fact]
    public void TaskHubQueues_AreNamedAsTheBackendNamesThem()
    {
        var hub = new TaskHubQueues("ServerlessJobs", partitionCount: 4);

        Assert.Equal(["serverlessjobs-control-00", "serverlessjobs-control-01", "serverlessjobs-control-02", "serverlessjobs-control-03"], hub.ControlQueues);
        Assert.Equal("serverlessjobs-workitems", hub.WorkItemQueue);
    }

    private static async Task<QueueClient> CreateAsync(QueueServiceClient service, string name)
    {
        QueueClient queue = service.GetQueueClient(name);
        await queue.CreateAsync();
        return queue;
    }
}
