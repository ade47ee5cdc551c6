using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>
/// The one envelope every server-to-client message uses; <see cref="Type"/> says which fields are set.
/// </summary>
public sealed record JobMessage
{
    /// <summary>One of <see cref="MessageTypes"/>.</summary>
    public required string Type { get; init; }

    public string? JobId { get; init; }

    public string? RequestId { get; init; }

    /// <summary><see cref="JobMode.Sync"/> or <see cref="JobMode.Async"/>, on <c>accepted</c> and <c>result</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Strictly increasing per job; set on progress and terminal messages.</summary>
    public long? Seq { get; init; }

    /// <summary>Overall job progress, 0–100.</summary>
    public double? Percent { get; init; }

    public string? Stage { get; init; }

    public string? Message { get; init; }

    public JsonElement? Metadata { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>How many handler reports this progress message stands for (1 when nothing was merged; absent on stage starts).</summary>
    public int? Coalesced { get; init; }

    /// <summary>On <c>result</c>: whether the sync handler succeeded.</summary>
    public bool? Ok { get; init; }

    /// <summary>On <c>result</c>: the sync handler's output.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>On <c>completed</c>: the job's output.</summary>
    public JsonElement? Result { get; init; }

    public JobError? Error { get; init; }

    /// <summary>On <c>accepted</c> and <c>result</c>: why the router ran the request sync or async.</summary>
    public string? Route { get; init; }

    /// <summary>On <c>accepted</c>: true when this request id had already started the job.</summary>
    public bool? Duplicate { get; init; }

    public static JobMessage Accepted(string jobId, string requestId, bool duplicate) =>
        new() { Type = MessageTypes.Accepted, JobId = jobId, RequestId = requestId, Mode = JobMode.Async, Duplicate = duplicate ? true : null };

    public static JobMessage SyncResult(string? requestId, JsonElement? data) =>
        new() { Type = MessageTypes.Result, RequestId = requestId, Mode = JobMode.Sync, Ok = true, Data = data };

    public static JobMessage SyncFailure(string? requestId, JobError error) =>
        new() { Type = MessageTypes.Result, RequestId = requestId, Mode = JobMode.Sync, Ok = false, Error = error };

    /// <summary>On <c>status</c>: the job's status.</summary>
    public string? Status { get; init; }

    public static JobMessage ErrorReply(string? requestId, JobError error) =>
        new() { Type = MessageTypes.Error, RequestId = requestId, Error = error };
}
