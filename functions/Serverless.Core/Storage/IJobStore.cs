using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>Durable job state and event history (Azure Table storage in both hosts).</summary>
internal interface IJobStore
{
    /// <summary>
    /// Creates the job's state row and index row, all or nothing; returns null when created, or the existing
    /// record when the id was taken (then the index row is written again, repairing a create that was cut short).
    /// </summary>
    Task<JobRecord?> CreateAsync(JobRecord job, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the state change and the events atomically (one entity group transaction); fails when an
    /// event's seq already exists, so no seq is ever written twice.
    /// </summary>
    Task AppendAsync(JobUpdate update, IReadOnlyList<JobMessage> events, CancellationToken cancellationToken);

    /// <summary>The persisted events with seq greater than <paramref name="afterSeq"/>, in seq order.</summary>
    Task<IReadOnlyList<JobMessage>> GetEventsAsync(string jobId, long afterSeq, int maxCount, CancellationToken cancellationToken);

    /// <summary>The kept output of the job's stage <paramref name="stageIndex"/> (see <see cref="JobUpdate.Output"/>), or null.</summary>
    Task<string?> GetStageOutputAsync(string jobId, int stageIndex, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a failed job back in the queue for its next run and appends <paramref name="started"/> (its next seq), in one
    /// conditional transaction: false, writing nothing, when the job is no longer as <paramref name="failed"/> was read
    /// (another retry won). Clears the error and end time, counts <see cref="JobRecord.Retries"/> up and marks the job
    /// active in its owner's index again.
    /// </summary>
    Task<bool> BeginRetryAsync(JobRecord failed, JobMessage started, CancellationToken cancellationToken);

    /// <summary>The owner's jobs, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(string ownerId, string? status, int limit, CancellationToken cancellationToken);

    /// <summary>How many of the owner's jobs are queued or running, counting no further than <paramref name="atMost"/>.</summary>
    Task<int> CountActiveAsync(string ownerId, int atMost, CancellationToken cancellationToken);

    /// <summary>Records in the owner's index that the job ended (idempotent).</summary>
    Task MarkEndedAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>Marks the job for cooperative cancellation; <paramref name="operatorId"/> is the operator who asked, null for its owner.</summary>
    Task RequestCancelAsync(string jobId, string? operatorId, CancellationToken cancellationToken);

    /// <summary>
    /// Any owner's jobs for the operators' list, newest first: one owner's through the owner index, every owner's by a
    /// scan of the jobs' state rows that stops after <see cref="JobQuery.MaxScan"/> rows (then <c>Complete</c> is false).
    /// </summary>
    Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> QueryAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>The ids of jobs that ended before <paramref name="cutoff"/>; jobs still running never match.</summary>
    IAsyncEnumerable<string> ListEndedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Removes a job and its events (retention, or undoing a create whose scheduling failed).</summary>
    Task DeleteAsync(JobRecord job, CancellationToken cancellationToken);
}
