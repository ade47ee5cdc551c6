namespace Serverless.Protocol;

/// <summary>The <c>type</c> of every server-to-client message.</summary>
public static class MessageTypes
{
    /// <summary>An async job was created (or already existed for this request id); carries its job id.</summary>
    public const string Accepted = "accepted";

    /// <summary>The one answer to a sync request: its data or its error.</summary>
    public const string Result = "result";

    /// <summary>A batch of a running job's progress.</summary>
    public const string Progress = "progress";

    /// <summary>Terminal: the job's result.</summary>
    public const string Completed = "completed";

    /// <summary>Terminal: the job's error.</summary>
    public const string Failed = "failed";

    /// <summary>Terminal: the job was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A request was refused before any job existed.</summary>
    public const string Error = "error";

    /// <summary>A snapshot of a job's state, e.g. the answer to <c>cancel</c>.</summary>
    public const string Status = "status";

    /// <summary>The SignalR target every server-to-client message is sent on.</summary>
    public const string Target = "job";

    /// <summary>Whether a message of <paramref name="type"/> is a job's last (completed, failed or cancelled).</summary>
    public static bool IsTerminal(string type) => type is Completed or Failed or Cancelled;
}
