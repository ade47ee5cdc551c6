namespace Serverless.Cli.Capacity;

/// <summary>
/// Turns a demand into resources from <see cref="MeasuredCosts"/> and <see cref="AzureLimits"/>. A single deployment
/// is one storage account holding one task hub (up to 16 partitions) and the app's tables, one SignalR Service
/// instance and one Event Hubs namespace; past its storage limits, deployments are sharded by tenant, each with its
/// own storage account and task hub.
/// </summary>
internal static class CapacityModel
{
    private const double SecondsPerDay = 86_400;
    private const double DaysPerMonth = 30;

    public static CapacityPlan Plan(CapacityDemand demand)
    {
        ArgumentNullException.ThrowIfNull(demand);
        double jobs = demand.JobsPerSecond, updates = demand.UpdatesPerSecond;

        double storageRequests = jobs * MeasuredCosts.StorageRequestsPerJob + updates * MeasuredCosts.StorageRequestsPerFlush;
        double workItems = jobs * MeasuredCosts.WorkItemMessagesPerJob;
        double controlMessages = jobs * MeasuredCosts.ControlQueueMessagesPerJob;
        double events = jobs * MeasuredCosts.EventsPerJob + updates;
        double outboxEntities = events * MeasuredCosts.OutboxEntitiesPerEvent;
        double pushes = jobs * MeasuredCosts.PushesPerJob + updates;
        double eventHubsUnits = Math.Max(events / AzureLimits.EventHubsEventsPerSecondPerUnit, events * MeasuredCosts.EventBytes / AzureLimits.EventHubsBytesPerSecondPerUnit);
        double signalRUnits = (double)demand.Clients / AzureLimits.SignalRConnectionsPerUnit;

        double storageUse = storageRequests / AzureLimits.StorageAccountRequestsPerSecond;
        double workItemUse = workItems / AzureLimits.QueueMessagesPerSecond;
        double controlUse = controlMessages / (AzureLimits.MaxDurablePartitions * AzureLimits.QueueMessagesPerSecond);
        CapacityLimit[] limits =
        [
            new("storage account requests (20,000/s)", storageUse, "shard by tenant: another storage account and task hub"),
            new("work-item queue (2,000 messages/s)", workItemUse, "shard by tenant: another task hub (the queue is one per task hub)"),
            new("control queues (16 partitions × 2,000 messages/s)", controlUse, "shard by tenant: another task hub"),
            new("event outbox (4 shards × 2,000 entities/s)", outboxEntities / (AzureLimits.DefaultOutboxShards * AzureLimits.TablePartitionEntitiesPerSecond), "raise EventStream:OutboxShards"),
            new("SignalR connections (100 units × 1,000)", signalRUnits / AzureLimits.SignalRMaxUnitsPerInstance, "another SignalR Service instance, or Premium_P2"),
            new("Event Hubs ingress (40 throughput units)", eventHubsUnits / AzureLimits.EventHubsMaxUnitsPerNamespace, "another Event Hubs namespace, or the Premium tier"),
        ];

        int accounts = Math.Max(1, CeilingOf(Math.Max(storageUse, Math.Max(workItemUse, controlUse))));
        int partitions = Math.Clamp(CeilingOf(controlMessages / accounts / AzureLimits.QueueMessagesPerSecond), AzureLimits.DefaultDurablePartitions, AzureLimits.MaxDurablePartitions);
        int outboxShards = Math.Max(AzureLimits.DefaultOutboxShards, CeilingOf(outboxEntities / accounts / AzureLimits.TablePartitionEntitiesPerSecond));
        int units = SignalRUnitStep(Math.Max(1, CeilingOf(signalRUnits)));
        double billedMessages = Math.Max(0, pushes * SecondsPerDay - units * AzureLimits.SignalRIncludedMessagesPerUnitPerDay);
        double idleRequests = accounts * MeasuredCosts.IdleRequestsPerMinutePerTaskHub / 60;

        return new CapacityPlan(
            demand,
            storageRequests,
            accounts,
            partitions,
            outboxShards,
            pushes,
            units,
            billedMessages,
            events,
            Math.Max(1, CeilingOf(eventHubsUnits)),
            (storageRequests + idleRequests) * SecondsPerDay * DaysPerMonth,
            limits);
    }

    /// <summary>A unit count one SignalR Service instance can be set to: 1–10, then tens up to 100 (beyond: more instances).</summary>
    private static int SignalRUnitStep(int units) => units <= 10 || units > AzureLimits.SignalRMaxUnitsPerInstance ? units : (units + 9) / 10 * 10;

    // A rounding guard: 2.0000000001 (floating-point noise in 0.94 × 1,000 / 470) is still 2.
    private static int CeilingOf(double value) => (int)Math.Ceiling(Math.Round(value, 6));
}
