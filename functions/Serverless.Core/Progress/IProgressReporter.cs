using System.Text.Json;

namespace Serverless.Core.Progress;

/// <summary>What a running stage reports its progress through.</summary>
public interface IProgressReporter
{
    /// <summary>
    /// Records stage-local progress (0–100), an optional message and optional <paramref name="metadata"/> (a small JSON
    /// object, bounded by <see cref="ProgressMetadata"/>, e.g. <c>{"rowsProcessed": 1200}</c>). Cheap and in memory:
    /// batching, persistence and pushing happen elsewhere; when reports are batched, the last message and the last
    /// metadata given win. Throws <see cref="JobCancelledException"/> once the job is cancelled.
    /// </summary>
    void Report(double percent, string? message = null, JsonElement? metadata = null);
}
