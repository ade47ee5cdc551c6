namespace Serverless.Cli.Capacity;

/// <summary>The published Azure limits the capacity model plans against (Standard tiers).</summary>
internal static class AzureLimits
{
    /// <summary>Requests per second one storage account serves (the scalability target).</summary>
    public const double StorageAccountRequestsPerSecond = 20_000;

    /// <summary>Entities per second one table partition serves.</summary>
    public const double TablePartitionEntitiesPerSecond = 2_000;

    /// <summary>Messages per second one queue serves (1 KiB messages).</summary>
    public const double QueueMessagesPerSecond = 2_000;

    /// <summary>The control-queue partitions a task hub has unless configured otherwise (the backend's default, and this app's).</summary>
    public const int DefaultDurablePartitions = 4;

    /// <summary>The most control-queue partitions a Durable Task Azure Storage task hub can have.</summary>
    public const int MaxDurablePartitions = 16;

    /// <summary>The outbox shards the event stream uses unless <c>EventStream:OutboxShards</c> says otherwise.</summary>
    public const int DefaultOutboxShards = 4;

    /// <summary>Concurrent connections per Azure SignalR Service unit.</summary>
    public const int SignalRConnectionsPerUnit = 1_000;

    /// <summary>Messages per unit per day included in the Standard price; more are billed per million, not refused.</summary>
    public const double SignalRIncludedMessagesPerUnitPerDay = 1_000_000;

    /// <summary>The most units one Standard SignalR Service instance scales to.</summary>
    public const int SignalRMaxUnitsPerInstance = 100;

    /// <summary>Events per second one Event Hubs throughput unit takes in.</summary>
    public const double EventHubsEventsPerSecondPerUnit = 1_000;

    /// <summary>Bytes per second one Event Hubs throughput unit takes in (1 MB).</summary>
    public const double EventHubsBytesPerSecondPerUnit = 1_048_576;

    /// <summary>The most throughput units a Standard Event Hubs namespace has (40, by request past 20).</summary>
    public const int EventHubsMaxUnitsPerNamespace = 40;
}
