using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Operators;

/// <summary>Bounds of the operator controls. Section <c>Operators</c>.</summary>
public sealed class OperatorOptions
{
    /// <summary>The configuration section these options bind from: <c>Operators</c>.</summary>
    public const string Section = "Operators";

    /// <summary>
    /// How long an instance trusts its copy of the controls before reading them again; default 5 s. The instance that
    /// takes a control applies it at once; the others within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>retryAfterMs</c> a submit of a paused action is answered with; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PausedRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an operator may hold the push circuit open or closed, in minutes; default 240.</summary>
    [Range(1, 1440)]
    public int MaxPushCircuitMinutes { get; set; } = 240;

    /// <summary>
    /// How many job state rows the all-users job list reads at most before answering with what it found
    /// (<c>complete: false</c>); default 2,000.
    /// </summary>
    [Range(100, 100_000)]
    public int MaxListScan { get; set; } = 2000;
}
