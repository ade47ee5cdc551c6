using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>The state-row fields a flush or a terminal write changes; nulls are left as stored.</summary>
internal sealed record JobUpdate
{
    public required string JobId { get; init; }
    public required long LastSeq { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? Status { get; init; }
    public double? Percent { get; init; }
    public string? Stage { get; init; }

    /// <summary>The metadata of the flush's latest progress message that carried any.</summary>
    public JsonElement? Metadata { get; init; }
    public int? StageIndex { get; init; }
    public int? StageAttempt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public JsonElement? Result { get; init; }
    public JobError? Error { get; init; }

    /// <summary>A stage's output to keep with the job (written with the next stage's start), so an operator's retry need not run that stage again.</summary>
    public StageOutput? Output { get; init; }
}
