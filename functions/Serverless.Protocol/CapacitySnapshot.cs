namespace Serverless.Protocol;

/// <summary>
/// What this host has left, in <c>GET /api/stats</c>. Process figures come from the .NET runtime's meter; a figure
/// is null when nothing measures it here (no event stream, no task hub sample yet, the first CPU reading).
/// <see cref="CpuPercent"/> is the process's share of all cores since the previous reading.
/// </summary>
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
