namespace Serverless.Core.Jobs;

/// <summary>The orchestration's input: everything it needs, fixed at submit so replays are deterministic.</summary>
internal sealed record JobInput(
    string JobId,
    string OwnerId,
    string Action,
    string? PayloadJson,
    IReadOnlyList<string> Stages,
    StageRetry Retry,
    string? TraceParent = null,
    string? Priority = null)
{
    /// <summary>Which run of the job this is: 0 for the first, N for the run an operator's N-th retry started.</summary>
    public int Run { get; init; }

    /// <summary>The stage this run starts at: 0, or on a retry the stage that failed.</summary>
    public int FirstStage { get; init; }

    /// <summary>On a retry: the kept output of the stage before <see cref="FirstStage"/>, which does not run again.</summary>
    public string? FirstStageInputJson { get; init; }

    /// <summary>The orchestration instance id of the job's run <paramref name="run"/>: the job id, then <c>{jobId}.retry{run}</c>.</summary>
    public static string InstanceIdOf(string jobId, int run) =>
        run == 0 ? jobId : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{jobId}.retry{run}");
}

/// <summary>The Durable retry policy for each stage: exponential backoff from the first interval.</summary>
internal sealed record StageRetry(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient, TimeSpan MaxRetryInterval);

/// <summary>The input of one <see cref="JobTaskNames.RunStage"/> activity.</summary>
internal sealed record StageInput(
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

    /// <summary>Where the previous stage left the job, for a first attempt; null on retries (the stage reads the row).</summary>
    public StageCursor? Cursor { get; init; }
}

/// <summary>
/// The job as a stage left it: its last seq, when its row was last looked at for a cancellation request, and what
/// the next stage needs of the row. Lets the next stage start without reading the row while that look is recent.
/// </summary>
internal sealed record StageCursor(long LastSeq, DateTimeOffset LookedAt, string OwnerId, string RequestId, DateTimeOffset CreatedAt);

/// <summary>
/// A stage's outcome: its output for the next stage, or that the job was cancelled. <paramref name="Finished"/>:
/// the job's last stage succeeded and already wrote the terminal state, so no <see cref="JobTaskNames.FinishJob"/> follows.
/// <paramref name="Next"/>: where it left the job, for the next stage's first attempt.
/// </summary>
internal sealed record StageResult(string? OutputJson, bool Cancelled, bool Finished = false, StageCursor? Next = null)
{
    /// <summary>How long the handler ran in this stage's successful attempt, in seconds.</summary>
    public double RanSeconds { get; init; }
}

/// <summary>The input of the <see cref="JobTaskNames.FinishJob"/> activity: the job's terminal state.</summary>
internal sealed record FinishInput(string JobId, string Status, string? ResultJson, Protocol.JobError? Error, string? TraceParent = null);
