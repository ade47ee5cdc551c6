namespace Serverless.Protocol;

/// <summary>How the router runs a request: inline (sync) or as a durable orchestration (async).</summary>
public static class JobMode
{
    public const string Sync = "sync";
    public const string Async = "async";
}
