namespace Serverless.Cli.Capacity;

/// <summary>
/// What one async job and one progress flush cost, as measured by <c>scripts/bench.sh storage</c> (storage requests,
/// counted at a proxy in front of the storage account) and as the job's shape fixes them (messages, events). The job
/// is the storage scenario's: <c>simulate {"stages":3,"durationMs":300,"updates":3}</c>. Re-measure and update these
/// together with docs/PERFORMANCE.md when the storage path changes.
/// </summary>
internal static class MeasuredCosts
{
    /// <summary>
    /// Storage requests per 3-stage job, Durable backend included: the Functions app's, as deployed (measured 2026-11-30 by
    /// <c>scripts/bench.sh --host azure storage</c>; the local host's is 34.7).
    /// </summary>
    public const double StorageRequestsPerJob = 34.8;

    /// <summary>Storage requests per extra progress flush of a running stage (measured 2026-11-30).</summary>
    public const double StorageRequestsPerFlush = 0.94;

    /// <summary>Control-queue messages per job: one per orchestration episode (the start, then one per stage completion).</summary>
    public const int ControlQueueMessagesPerJob = 4;

    /// <summary>Work-item queue messages per job: one per stage (activity).</summary>
    public const int WorkItemMessagesPerJob = 3;

    /// <summary>Messages pushed to the owner per job without progress: accepted, one stage start per stage, the terminal message.</summary>
    public const int PushesPerJob = 5;

    /// <summary>Lifecycle events per job: submitted, accepted, a start and a finish per stage, the terminal event.</summary>
    public const int EventsPerJob = 9;

    /// <summary>Outbox entity writes per event: its insert, then its delete once Event Hubs acknowledged it.</summary>
    public const int OutboxEntitiesPerEvent = 2;

    /// <summary>Bytes per event on Event Hubs: 50,000 progress events filled 32 batches of 1 MiB to 92 % (the Benchmarks project).</summary>
    public const int EventBytes = 617;

    /// <summary>
    /// Idle storage requests per minute of one task hub with the Functions app's settings (host.json
    /// <c>maxQueuePollingInterval</c> 1 s, 4 partitions), measured by <c>scripts/bench.sh --host azure storage</c>:
    /// 300 queue polls, 32 of the partition and app leases, 22 of the app and the Functions host (its lock, timers).
    /// </summary>
    public const double IdleRequestsPerMinutePerTaskHub = 354;
}
