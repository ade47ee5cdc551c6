using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>A job's current state as the HTTP API returns it.</summary>
public sealed record JobView
{
    public required string JobId { get; init; }
    public required string RequestId { get; init; }
    public required string Action { get; init; }
    public required string Status { get; init; }
    public double Percent { get; init; }
    public string? Stage { get; init; }

    /// <summary>The metadata of the job's latest progress message that carried any (e.g. rows processed, the stage's attempt).</summary>
    public JsonElement? Metadata { get; init; }

    public long LastSeq { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public JsonElement? Result { get; init; }
    public JobError? Error { get; init; }
}
