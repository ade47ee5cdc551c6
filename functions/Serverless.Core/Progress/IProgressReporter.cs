namespace Serverless.Core.Progress;

/// <summary>What a running stage reports its progress through.</summary>
public interface IProgressReporter
{
    /// <summary>
    /// Records stage-local progress (0–100) and an optional message. Cheap and in memory: batching,
    /// persistence and pushing happen elsewhere. Throws <see cref="JobCancelledException"/> once the job is cancelled.
    /// </summary>
    void Report(double percent, string? message = null);
}
