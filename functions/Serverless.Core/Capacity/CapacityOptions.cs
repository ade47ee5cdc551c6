using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Capacity;

/// <summary>How the task hub's queues are watched (section <c>Capacity</c>).</summary>
public sealed class CapacityOptions
{
    /// <summary>The configuration section these options bind from: <c>Capacity</c>.</summary>
    public const string Section = "Capacity";

    /// <summary>
    /// How often the task hub's queues are sampled; default 1 minute. Each sample costs one request per queue when
    /// the queue is empty and two when it is not (5 to 10 per minute with 4 partitions); zero turns sampling off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A message delivered this many times without completing counts as poison; default 5.</summary>
    [Range(2, 1000)]
    public int PoisonDequeueCount { get; set; } = 5;
}
