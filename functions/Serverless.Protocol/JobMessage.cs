using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>
/// The one envelope every server-to-client message uses; <see cref="Type"/> says which fields are set.
/// </summary>
public sealed record JobMessage
{
    /// <summary>One of <see cref="MessageTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The job the message is about; absent on sync results and on errors before a job existed.</summary>
    public string? JobId { get; init; }

    /// <summary>The client's request id, on messages that answer a request.</summary>
    public string? RequestId { get; init; }

    /// <summary><see cref="JobMode.Sync"/> or <see cref="JobMode.Async"/>, on <c>accepted</c> and <c>result</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Strictly increasing per job; set on progress and terminal messages.</summary>
    public long? Seq { get; init; }

    /// <summary>Overall job progress, 0–100.</summary>
    public double? Percent { get; init; }

    /// <summary>On <c>progress</c>: the running stage's name.</summary>
    public string? Stage { get; init; }

    /// <summary>On <c>progress</c>: the handler's latest message, for people.</summary>
    public string? Message { get; init; }

    /// <summary>On <c>progress</c>: the handler's latest metadata, a small JSON object.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>When the server produced the message.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>How many handler reports this progress message stands for (1 when nothing was merged; absent on stage starts).</summary>
    public int? Coalesced { get; init; }

    /// <summary>On <c>result</c>: whether the sync handler succeeded.</summary>
    public bool? Ok { get; init; }

    /// <summary>On <c>result</c>: the sync handler's output.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>On <c>completed</c>: the job's output.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>On <c>failed</c>, <c>error</c> and a failed <c>result</c>: the typed error.</summary>
    public JobError? Error { get; init; }

    /// <summary>On <c>accepted</c> and <c>result</c>: why the router ran the request sync or async.</summary>
    public string? Route { get; init; }

    /// <summary>On <c>accepted</c>: true when this request id had already started the job.</summary>
    public bool? Duplicate { get; init; }

    /// <summary>An <c>accepted</c> message for an async job; <paramref name="duplicate"/> marks a repeated request id.</summary>
    public static JobMessage Accepted(string jobId, string requestId, bool duplicate) =>
        new() { Type = MessageTypes.Accepted, JobId = jobId, RequestId = requestId, Mode = JobMode.Async, Duplicate = duplicate ? true : null };

    /// <summary>A successful sync <c>result</c> carrying <paramref name="data"/>.</summary>
    public static JobMessage SyncResult(string? requestId, JsonElement? data) =>
        new() { Type = MessageTypes.Result, RequestId = requestId, Mode = JobMode.Sync, Ok = true, Data = data };

    /// <summary>A failed sync <c>result</c> carrying <paramref name="error"/>.</summary>
    public static JobMessage SyncFailure(string? requestId, JobError error) =>
        new() { Type = MessageTypes.Result, RequestId = requestId, Mode = JobMode.Sync, Ok = false, Error = error };

    /// <summary>On <c>status</c>: the job's status.</summary>
    public string? Status { get; init; }

    /// <summary>An <c>error</c> message: a request refused before any job existed.</summary>
    public static JobMessage ErrorReply(string? requestId, JobError error) =>
        new() { Type = MessageTypes.Error, RequestId = requestId, Error = error };
}
