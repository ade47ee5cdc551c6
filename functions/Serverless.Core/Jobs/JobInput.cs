namespace Serverless.Core.Jobs;

/// <summary>The orchestration's input: everything it needs, fixed at submit so replays are deterministic.</summary>
public sealed record JobInput(
    string JobId,
    string OwnerId,
    string Action,
    string? PayloadJson,
    IReadOnlyList<string> Stages,
    StageRetry Retry,
    string? TraceParent = null,
    string? Priority = null);

/// <summary>The Durable retry policy for each stage: exponential backoff from the first interval.</summary>
public sealed record StageRetry(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient, TimeSpan MaxRetryInterval);

/// <summary>The input of one <see cref="JobTaskNames.RunStage"/> activity.</summary>
public sealed record StageInput(
    string JobId,
    string Action,
    string? PayloadJson,
    IReadOnlyList<string> Stages,
    int StageIndex,
    string? PreviousOutputJson,
    string? TraceParent = null,
    string? Priority = null)
{
    /// <summary>Where the previous stage left the job, for a first attempt; null on retries (the stage reads the row).</summary>
    public StageCursor? Cursor { get; init; }

    /// <summary>How long the handler ran in the stages before this one (successful attempts), in seconds.</summary>
    public double RanSecondsBefore { get; init; }
}

/// <summary>
/// The job as a stage left it: its last seq, when its row was last looked at for a cancellation request, and what
/// the next stage needs of the row. Lets the next stage start without reading the row while that look is recent.
/// </summary>
public sealed record StageCursor(long LastSeq, DateTimeOffset LookedAt, string OwnerId, string RequestId, DateTimeOffset CreatedAt);

/// <summary>
/// A stage's outcome: its output for the next stage, or that the job was cancelled. <paramref name="Finished"/>:
/// the job's last stage succeeded and already wrote the terminal state, so no <see cref="JobTaskNames.FinishJob"/> follows.
/// <paramref name="Next"/>: where it left the job, for the next stage's first attempt.
/// </summary>
public sealed record StageResult(string? OutputJson, bool Cancelled, bool Finished = false, StageCursor? Next = null)
{
    /// <summary>How long the handler ran in this stage's successful attempt, in seconds.</summary>
    public double RanSeconds { get; init; }
}

/// <summary>The input of the <see cref="JobTaskNames.FinishJob"/> activity: the job's terminal state.</summary>
public sealed record FinishInput(string JobId, string Status, string? ResultJson, Protocol.JobError? Error, string? TraceParent = null);
