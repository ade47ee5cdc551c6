using Serverless.Protocol;

namespace Serverless.EventStream;

/// <summary>
/// The <c>data</c> of a job event (JSON, camelCase, nulls omitted). Small on purpose: results stay in job
/// storage (fetch them through the API), and free text is truncated to <see cref="MaxTextLength"/>, so every
/// event fits a Table property and many fit one Event Hubs batch.
/// </summary>
public sealed record JobEventData
{
    /// <summary>Longest message or error text carried.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The job message's seq (progress, stage and terminal events); orders one job's events.</summary>
    public long? Seq { get; init; }

    /// <summary>The client's request id the job was submitted with.</summary>
    public string? RequestId { get; init; }

    /// <summary>The handler the job runs.</summary>
    public string? Action { get; init; }

    /// <summary>The job's priority: low, normal or high.</summary>
    public string? Priority { get; init; }

    /// <summary>The job's status after the event (queued, running, completed, failed, cancelled).</summary>
    public string? Status { get; init; }

    /// <summary>The stage the event concerns.</summary>
    public string? Stage { get; init; }

    /// <summary>Zero-based index of <see cref="Stage"/>.</summary>
    public int? StageIndex { get; init; }

    /// <summary>How many stages the job has.</summary>
    public int? StageCount { get; init; }

    /// <summary>On stage events: 1 for a stage's first run, 2 for its first retry, and so on.</summary>
    public int? Attempt { get; init; }

    /// <summary>Overall job progress, 0–100.</summary>
    public double? Percent { get; init; }

    /// <summary>The progress or stage message, truncated to <see cref="MaxTextLength"/>.</summary>
    public string? Message { get; init; }

    /// <summary>How many handler reports a progress event stands for.</summary>
    public int? Coalesced { get; init; }

    /// <summary>On stage.finished: succeeded, failed or cancelled.</summary>
    public string? Outcome { get; init; }

    /// <summary>On failed events: the job's error, its message truncated to <see cref="MaxTextLength"/>.</summary>
    public JobError? Error { get; init; }

    /// <summary>On terminal events: milliseconds from submit to the end.</summary>
    public double? DurationMs { get; init; }

    /// <summary>On operator controls and retried: the operator's owner id.</summary>
    public string? OperatorId { get; init; }

    /// <summary>On operator controls: cancel, pause, resume or push-circuit.</summary>
    public string? Control { get; init; }

    /// <summary>On a push-circuit control: open or closed, held until <see cref="Until"/>.</summary>
    public string? CircuitState { get; init; }

    /// <summary>On a push-circuit control: when the circuit returns to automatic.</summary>
    public DateTimeOffset? Until { get; init; }

    internal static string? Truncate(string? text) =>
        text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;

    internal static JobError? Truncate(JobError? error) =>
        error is { Message.Length: > MaxTextLength } ? error with { Message = error.Message[..MaxTextLength] } : error;
}
