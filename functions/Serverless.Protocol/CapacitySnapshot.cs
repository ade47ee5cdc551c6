namespace Serverless.Protocol;

/// <summary>
/// What this host has left, in <c>GET /api/stats</c>. Process figures come from the .NET runtime's meter; a figure
/// is null when nothing measures it here (no event stream, no task hub sample yet, the first CPU reading).
/// <see cref="CpuPercent"/> is the process's share of all cores since the previous reading.
/// </summary>
/// <param name="CpuPercent">The process's share of all cores since the previous reading, 0–100; null on the first.</param>
/// <param name="WorkingSetBytes">The process's working set, in bytes.</param>
/// <param name="GcPauseSeconds">Total time paused for garbage collection since start, in seconds.</param>
/// <param name="ThreadPoolQueueLength">Work items waiting for a thread-pool thread.</param>
/// <param name="StagesRunning">Stages holding one of <c>Jobs:MaxConcurrentStages</c> slots.</param>
/// <param name="StagesWaiting">Stages waiting for a slot.</param>
/// <param name="EventQueueLength">Lifecycle events in memory, not yet in the outbox.</param>
/// <param name="ConnectedClients">Client connections open on this instance.</param>
/// <param name="ControlQueueMessages">Messages waiting in the task hub's control queues (orchestration work), at the last sample.</param>
/// <param name="ControlQueueOldestAgeSeconds">Age of the oldest waiting control-queue message, in seconds; growing means orchestration capacity is short.</param>
/// <param name="WorkItemQueueMessages">Messages waiting in the task hub's work-item queue (activity work), at the last sample.</param>
/// <param name="WorkItemQueueOldestAgeSeconds">Age of the oldest waiting work-item message, in seconds.</param>
/// <param name="PoisonMessages">Task hub messages delivered <c>Capacity:PoisonDequeueCount</c> times or more without completing.</param>
public sealed record CapacitySnapshot(
    double? CpuPercent,
    double? WorkingSetBytes,
    double? GcPauseSeconds,
    double? ThreadPoolQueueLength,
    double? StagesRunning,
    double? StagesWaiting,
    double? EventQueueLength,
    double? ConnectedClients,
    double? ControlQueueMessages,
    double? ControlQueueOldestAgeSeconds,
    double? WorkItemQueueMessages,
    double? WorkItemQueueOldestAgeSeconds,
    double? PoisonMessages);
