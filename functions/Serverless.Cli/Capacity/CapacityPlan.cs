namespace Serverless.Cli.Capacity;

/// <summary>What a deployment needs for a <see cref="CapacityDemand"/>, and which limit of a single deployment binds first.</summary>
internal sealed record CapacityPlan(
    CapacityDemand Demand,
    double StorageRequestsPerSecond,
    int StorageAccounts,
    int DurablePartitionsPerTaskHub,
    int OutboxShardsPerAccount,
    double PushesPerSecond,
    int SignalRUnits,
    double SignalRBilledMessagesPerDay,
    double EventsPerSecond,
    int EventHubsThroughputUnits,
    double MonthlyStorageTransactions,
    IReadOnlyList<CapacityLimit> Limits)
{
    /// <summary>The limit of a single deployment the demand comes closest to (or goes furthest past).</summary>
    public CapacityLimit BindingLimit => Limits.MaxBy(limit => limit.Utilization)!;
}
