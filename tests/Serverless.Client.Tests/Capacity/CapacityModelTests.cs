using Serverless.Cli.Capacity;

namespace Serverless.Client.Tests.Capacity;

/// <summary>The model's arithmetic at a few points, each expectation worked out by hand from the measured costs and the Azure limits.</summary>
public sealed class CapacityModelTests
{
    private const double Month = 86_400 * 30;

    [Fact]
    public void Plan_HundredJobsPerSecond_OneDeploymentWithTheOutboxNearestItsLimit()
    {
        CapacityPlan plan = CapacityModel.Plan(new CapacityDemand(100, 0, 0));

        Assert.Equal(3_480, plan.StorageRequestsPerSecond, 6);            // 100 × 34.8
        Assert.Equal(1, plan.StorageAccounts);
        Assert.Equal(4, plan.DurablePartitionsPerTaskHub);                 // 400 control messages/s fit one queue; the default 4 stays
        Assert.Equal(4, plan.OutboxShardsPerAccount);                      // 900 events × 2 entities = 1,800/s, under one partition's 2,000
        Assert.Equal(900, plan.EventsPerSecond, 6);                        // 100 × 9
        Assert.Equal(1, plan.EventHubsThroughputUnits);                    // 900 events/s, 0.53 MB/s
        Assert.Equal(500, plan.PushesPerSecond, 6);                        // 100 × 5
        Assert.Equal(1, plan.SignalRUnits);
        Assert.Equal(500 * 86_400 - 1_000_000, plan.SignalRBilledMessagesPerDay, 6);
        Assert.Equal((3_480 + 354.0 / 60) * Month, plan.MonthlyStorageTransactions, 0);
        Assert.StartsWith("event outbox", plan.BindingLimit.Name, StringComparison.Ordinal);
        Assert.Equal(0.225, plan.BindingLimit.Utilization, 6);             // 1,800 / (4 × 2,000)
    }

    [Fact]
    public void Plan_PastOneDeployment_ShardsStorageAndNamesSignalRConnectionsAsBinding()
    {
        CapacityPlan plan = CapacityModel.Plan(new CapacityDemand(600, 2_000, 250_000));

        Assert.Equal(22_760, plan.StorageRequestsPerSecond, 6);           // 600 × 34.8 + 2,000 × 0.94
        Assert.Equal(2, plan.StorageAccounts);                             // 22,760 / 20,000 = 1.138
        Assert.Equal(4, plan.DurablePartitionsPerTaskHub);                 // 2,400 control messages/s over 2 task hubs
        Assert.Equal(4, plan.OutboxShardsPerAccount);                      // 7,400 events × 2 / 2 accounts = 7,400/s → 3.7 partitions
        Assert.Equal(8, plan.EventHubsThroughputUnits);                    // 7,400 events/s (4.4 MB/s)
        Assert.Equal(250, plan.SignalRUnits);
        Assert.Equal(5_000 * 86_400 - 250 * 1_000_000.0, plan.SignalRBilledMessagesPerDay, 6);
        Assert.Equal((22_760 + 2 * 354.0 / 60) * Month, plan.MonthlyStorageTransactions, 0);
        Assert.StartsWith("SignalR connections", plan.BindingLimit.Name, StringComparison.Ordinal);
        Assert.Equal(2.5, plan.BindingLimit.Utilization, 6);               // 250 units of one instance's 100
        Assert.Equal(1.138, plan.Limits.Single(l => l.Name.StartsWith("storage account", StringComparison.Ordinal)).Utilization, 6);
    }

    [Fact]
    public void Plan_ThreeThousandJobsPerSecond_SixAccountsAndMoreOutboxShardsEach()
    {
        CapacityPlan plan = CapacityModel.Plan(new CapacityDemand(3_000, 0, 0));

        Assert.Equal(6, plan.StorageAccounts);                             // 104,400 requests/s / 20,000 = 5.22
        Assert.Equal(4, plan.DurablePartitionsPerTaskHub);                 // 12,000 control messages/s / 6 hubs = 2,000: one queue's worth
        Assert.Equal(5, plan.OutboxShardsPerAccount);                      // 27,000 events × 2 / 6 accounts = 9,000 entities/s → 4.5 partitions
        Assert.Equal(27, plan.EventHubsThroughputUnits);                   // 27,000 events/s
        Assert.Equal(4.5, plan.Limits.Single(l => l.Name.StartsWith("work-item", StringComparison.Ordinal)).Utilization, 6);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1_000, 1)]
    [InlineData(1_001, 2)]
    [InlineData(10_000, 10)]
    [InlineData(10_001, 20)]                                               // an instance is set to 1–10 units, then tens
    [InlineData(95_000, 100)]
    [InlineData(100_001, 101)]
    public void Plan_Clients_SignalRUnitsInStepsAnInstanceAccepts(int clients, int units) =>
        Assert.Equal(units, CapacityModel.Plan(new CapacityDemand(0, 0, clients)).SignalRUnits);
}
