namespace Serverless.Protocol;

/// <summary>How the router runs a request: inline (sync) or as a durable orchestration (async).</summary>
public static class JobMode
{
    /// <summary><c>sync</c>: the handler runs inline and the caller gets one <c>result</c> message.</summary>
    public const string Sync = "sync";

    /// <summary><c>async</c>: the job runs durably; the caller gets <c>accepted</c>, progress and one terminal message.</summary>
    public const string Async = "async";
}
