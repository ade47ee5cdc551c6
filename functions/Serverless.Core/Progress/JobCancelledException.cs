namespace Serverless.Core.Progress;

/// <summary>Thrown into a running stage at its next progress report once its job was cancelled.</summary>
public sealed class JobCancelledException(string jobId) : OperationCanceledException($"Job {jobId} was cancelled.")
{
    public string JobId { get; } = jobId;
}
