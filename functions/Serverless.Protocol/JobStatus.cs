namespace Serverless.Protocol;

/// <summary>The life cycle of an async job.</summary>
public static class JobStatus
{
    /// <summary>Accepted and scheduled; no stage has started yet.</summary>
    public const string Queued = "queued";

    /// <summary>A stage has started.</summary>
    public const string Running = "running";

    /// <summary>Terminal: the last stage succeeded and the result is stored.</summary>
    public const string Completed = "completed";

    /// <summary>Terminal: a stage failed after its retries, or the job could not go on.</summary>
    public const string Failed = "failed";

    /// <summary>Terminal: cancelled by its owner or an operator.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every status, in life-cycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Running, Completed, Failed, Cancelled];

    /// <summary>Whether <paramref name="status"/> is final (completed, failed or cancelled); false for null or an unknown value.</summary>
    public static bool IsTerminal(string? status) => status is Completed or Failed or Cancelled;
}
