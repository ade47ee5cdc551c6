namespace Serverless.EventStream;

/// <summary>The CloudEvents <c>type</c> of every job lifecycle event, in the order a job emits them.</summary>
public static class JobEventTypes
{
    /// <summary>The job was recorded (state row written); <c>time</c> is its creation time.</summary>
    public const string Submitted = "serverless.job.submitted";

    /// <summary>The job was accepted for running; it is scheduled right after.</summary>
    public const string Accepted = "serverless.job.accepted";

    /// <summary>A stage attempt started (the persisted stage-start message).</summary>
    public const string StageStarted = "serverless.job.stage.started";

    /// <summary>A flush of coalesced progress reports (the persisted progress message).</summary>
    public const string Progress = "serverless.job.progress";

    /// <summary>A stage attempt ended; <c>data.outcome</c> is succeeded, failed or cancelled.</summary>
    public const string StageFinished = "serverless.job.stage.finished";

    /// <summary>Terminal: the job completed; its result stays in job storage.</summary>
    public const string Completed = "serverless.job.completed";

    /// <summary>Terminal: the job failed; <c>data.error</c> says why.</summary>
    public const string Failed = "serverless.job.failed";

    /// <summary>Terminal: the job was cancelled.</summary>
    public const string Cancelled = "serverless.job.cancelled";

    /// <summary>
    /// An operator took a control: <c>data.control</c> is cancel (subject: the job), pause or resume (subject:
    /// <see cref="OperatorsSubject"/>, <c>data.action</c>) or push-circuit (<c>data.circuitState</c>, <c>data.until</c>).
    /// </summary>
    public const string OperatorControl = "serverless.operator.control";

    /// <summary>The subject of operator controls that concern no single job.</summary>
    public const string OperatorsSubject = "operators";

    /// <summary>An operator retried the failed job from its failed stage (the persisted retry message); <c>data.operatorId</c> says who.</summary>
    public const string Retried = "serverless.job.retried";

    /// <summary>Every type, for documentation and filters.</summary>
    public static IReadOnlyList<string> All { get; } = [Submitted, Accepted, StageStarted, Progress, StageFinished, Completed, Failed, Cancelled, Retried, OperatorControl];
}
