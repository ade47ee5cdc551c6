namespace Serverless.Protocol;

/// <summary>The <c>type</c> of every server-to-client message.</summary>
public static class MessageTypes
{
    public const string Accepted = "accepted";
    public const string Result = "result";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Error = "error";

    /// <summary>A snapshot of a job's state, e.g. the answer to <c>cancel</c>.</summary>
    public const string Status = "status";

    /// <summary>The SignalR target every server-to-client message is sent on.</summary>
    public const string Target = "job";

    public static bool IsTerminal(string type) => type is Completed or Failed or Cancelled;
}
