namespace Serverless.Core.Progress;

/// <summary>
/// Thrown into a running stage at its next progress report once its job was cancelled. A handler lets it propagate: the
/// job ends <c>cancelled</c>, not failed, and the stage is not retried.
/// </summary>
/// <param name="jobId">The cancelled job.</param>
public sealed class JobCancelledException(string jobId) : OperationCanceledException($"Job {jobId} was cancelled.")
{
    /// <summary>The cancelled job.</summary>
    public string JobId { get; } = jobId;
}
