using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.History;

/// <summary>Per-minute job history (section <c>History</c>).</summary>
public sealed class HistoryOptions
{
    /// <summary>The configuration section these options bind from: <c>History</c>.</summary>
    public const string Section = "History";

    /// <summary>The table the per-minute rollups go to; default <c>jobhistory</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string Table { get; set; } = "jobhistory";

    /// <summary>How many days of rollups are kept; default 30.</summary>
    [Range(1, 366)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often finished minutes are written; default 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromSeconds(15);
}
