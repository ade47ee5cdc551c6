using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>The stored state of an async job (the <c>state</c> row of its partition).</summary>
internal sealed record JobRecord
{
    public required string JobId { get; init; }
    public required string RequestId { get; init; }
    public required string OwnerId { get; init; }
    public required string Action { get; init; }
    public string Priority { get; init; } = JobPriority.Normal;
    public string Status { get; init; } = JobStatus.Queued;
    public double Percent { get; init; }
    public string? Stage { get; init; }

    /// <summary>The metadata of the latest progress message that carried any.</summary>
    public JsonElement? Metadata { get; init; }
    public int StageIndex { get; init; } = -1;
    public int StageAttempt { get; init; }
    public long LastSeq { get; init; }
    public bool CancelRequested { get; init; }

    /// <summary>The operator who asked the job to cancel; null when nobody did, or its owner did.</summary>
    public string? CancelledBy { get; init; }
    /// <summary>How many times an operator retried the job; run N is orchestration <see cref="Jobs.JobInput.InstanceIdOf"/>(job, N).</summary>
    public int Retries { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public JsonElement? Result { get; init; }
    public JobError? Error { get; init; }

    public JobView ToView() => new()
    {
        JobId = JobId,
        RequestId = RequestId,
        Action = Action,
        Status = Status,
        Percent = Percent,
        Stage = Stage,
        Metadata = Metadata,
        LastSeq = LastSeq,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        CompletedAt = CompletedAt,
        Result = Result,
        Error = Error,
    };

    /// <summary>The <c>status</c> message snapshotting this job, e.g. the answer to <c>cancel</c>.</summary>
    public JobMessage ToStatusMessage(string message) => new()
    {
        Type = MessageTypes.Status,
        JobId = JobId,
        RequestId = RequestId,
        Status = Status,
        Seq = LastSeq,
        Percent = Percent,
        Stage = Stage,
        Message = message,
    };
}
