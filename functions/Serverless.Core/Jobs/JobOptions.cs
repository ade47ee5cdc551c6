using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Jobs;

/// <summary>How async stages are retried. Section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    /// <summary>The configuration section these options bind from: <c>Jobs</c>.</summary>
    public const string Section = "Jobs";

    /// <summary>Attempts per stage, the first included; default 3.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Each retry waits this many times longer than the previous; default 2.</summary>
    [Range(1.0, 10.0)]
    public double BackoffCoefficient { get; set; } = 2;

    /// <summary>Longest delay between retries; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stages running at once on one host; default 32. When more are ready, high-priority jobs' stages go first
    /// (see <see cref="StageGate"/>).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentStages { get; set; } = 32;

    internal StageRetry ToStageRetry() => new(MaxAttempts, FirstRetryInterval, BackoffCoefficient, MaxRetryInterval);
}
