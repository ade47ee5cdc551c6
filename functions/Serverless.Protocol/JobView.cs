using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>A job's current state as the HTTP API returns it.</summary>
public sealed record JobView
{
    /// <summary>The job's id, derived from its owner and request id.</summary>
    public required string JobId { get; init; }

    /// <summary>The client's idempotency key the job was submitted with.</summary>
    public required string RequestId { get; init; }

    /// <summary>The handler the job runs.</summary>
    public required string Action { get; init; }

    /// <summary>One of <see cref="JobStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Overall progress, 0–100.</summary>
    public double Percent { get; init; }

    /// <summary>The stage running or last run; null before the first stage starts.</summary>
    public string? Stage { get; init; }

    /// <summary>The metadata of the job's latest progress message that carried any (e.g. rows processed, the stage's attempt).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The sequence number of the job's latest persisted message; <c>resume</c> from it to get only newer ones.</summary>
    public long LastSeq { get; init; }

    /// <summary>When the job was accepted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the job's state last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the job ended; null while it runs.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The job's output once <c>completed</c>; null otherwise.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>Why the job <c>failed</c> (or was cancelled); null otherwise.</summary>
    public JobError? Error { get; init; }
}
