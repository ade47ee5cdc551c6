using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Retention;

/// <summary>How long finished jobs are kept. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section these options bind from: <c>Retention</c>.</summary>
    public const string Section = "Retention";

    /// <summary>Finished jobs (and their orchestration history) older than this are deleted; default 7 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan FinishedJobAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most jobs deleted per run, so one run stays well inside the function timeout; default 1000.</summary>
    [Range(1, 100_000)]
    public int MaxJobsPerRun { get; set; } = 1000;

    /// <summary>How often the local host purges; default 1 hour. The Functions app purges from its hourly timer instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
