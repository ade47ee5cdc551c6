namespace Serverless.Core.Capacity;

/// <summary>
/// One look at the task hub's queues. Ages are of the oldest message among the first 32 of each queue (the
/// backend reads queues roughly in order, so that is the oldest waiting); zero for an empty queue. Poison messages
/// are those among them delivered <see cref="CapacityOptions.PoisonDequeueCount"/> times or more.
/// </summary>
internal sealed record TaskHubQueueSample(
    DateTimeOffset SampledAt,
    long ControlQueueMessages,
    double ControlQueueOldestAgeSeconds,
    long WorkItemQueueMessages,
    double WorkItemQueueOldestAgeSeconds,
    int PoisonMessages);
