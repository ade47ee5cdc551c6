using System.ComponentModel.DataAnnotations;

namespace Serverless.LocalHost.Durable;

/// <summary>The Durable Task Azure Storage backend the local host runs jobs on. Section <c>Durable</c>.</summary>
internal sealed class DurableOptions
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

    /// <summary>
    /// How long a dequeued activity message stays hidden; default 5 min. After a crash, an interrupted stage
    /// re-runs once this passes. It must exceed the longest stage: the sidecar does not renew it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a dequeued orchestration message stays hidden; default 5 min. Bounds recovery after a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a partition lease lasts without renewal; default 30 s. Another host takes over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often held partition leases are renewed and free ones looked for; default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Control-queue messages fetched per poll; default 32.</summary>
    [Range(1, 32)]
    public int ControlQueueBatchSize { get; set; } = 32;
}
