namespace Serverless.Core.History;

/// <summary>One instance's counts for one minute and action, as they build up and as they are stored.</summary>
internal sealed class MinuteRollup(DateTimeOffset minute, string action)
{
    public DateTimeOffset Minute { get; } = minute;

    public string Action { get; } = action;

    public long Submitted { get; set; }

    public long Completed { get; set; }

    public long Failed { get; set; }

    public long Cancelled { get; set; }

    public LatencyBuckets Durations { get; init; } = new();

    public LatencyBuckets Acks { get; init; } = new();

    public void Merge(MinuteRollup other)
    {
        Submitted += other.Submitted;
        Completed += other.Completed;
        Failed += other.Failed;
        Cancelled += other.Cancelled;
        Durations.Merge(other.Durations);
        Acks.Merge(other.Acks);
    }

    public HistoryPoint ToPoint() => new(
        Minute, Action, Submitted, Completed, Failed, Cancelled,
        Durations.Percentile(0.50), Durations.Percentile(0.95), Durations.Percentile(0.99),
        Acks.Percentile(0.50), Acks.Percentile(0.95), Acks.Percentile(0.99));
}
