using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Progress;

/// <summary>Progress batching. Section <c>Progress</c>.</summary>
public sealed class ProgressOptions
{
    /// <summary>The configuration section these options bind from: <c>Progress</c>.</summary>
    public const string Section = "Progress";

    /// <summary>At most one flush (one Table transaction + one push) per window per job; default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Least time between two looks for a cancellation request after a flush (each costs a storage read); default 1 s.
    /// A cancelled stage stops at its first report after the next look. It spans stages too: a stage that starts
    /// within it of the previous stage's last look starts without reading the job.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first report at or above this overall percent flushes at once; default 90.</summary>
    [Range(0.0, 100.0)]
    public double ImmediateFlushPercent { get; set; } = 90;
}
