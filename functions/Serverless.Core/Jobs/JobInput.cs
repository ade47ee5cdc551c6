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
    /// <summary>How long the handler ran in the stages before this one (successful attempts), in seconds.</summary>
    public double RanSecondsBefore { get; init; }
}

/// <summary>A stage's outcome: its output for the next stage, or that the job was cancelled.</summary>
public sealed record StageResult(string? OutputJson, bool Cancelled)
{
    /// <summary>How long the handler ran in this stage's successful attempt, in seconds.</summary>
    public double RanSeconds { get; init; }
}

/// <summary>The input of the <see cref="JobTaskNames.FinishJob"/> activity: the job's terminal state.</summary>
public sealed record FinishInput(string JobId, string Status, string? ResultJson, Protocol.JobError? Error, string? TraceParent = null);
