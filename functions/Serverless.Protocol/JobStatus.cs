namespace Serverless.Protocol;

/// <summary>The life cycle of an async job.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Completed, Failed, Cancelled];

    public static bool IsTerminal(string? status) => status is Completed or Failed or Cancelled;
}
