using System.ComponentModel.DataAnnotations;

namespace Serverless.LocalHost.Durable;

/// <summary>The Durable Task Azure Storage backend the local host runs jobs on. Section <c>Durable</c>.</summary>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>Task hub name (queues, tables and blobs are prefixed with it); default <c>serverless</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHubName { get; set; } = "serverless";

    /// <summary>Control-queue partitions; default 4.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Longest idle back-off of queue polling; default 200 ms. The backend's own default (30 s) would let an
    /// idle host take seconds to start a job.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Activities run at once on this host; default 100.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>Orchestration episodes run at once on this host; default 100.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Control-queue messages fetched per poll; default 32.</summary>
    [Range(1, 32)]
    public int ControlQueueBatchSize { get; set; } = 32;
}
