using Azure;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// An <see cref="IJobStore"/> in memory with the Table store's semantics, for tests of the core and of function
/// classes without storage: a state row per job plus an owner index whose row carries an <c>Active</c> flag, set at
/// create and cleared only by <see cref="MarkEndedAsync"/>; listing walks the index, counting reads the flag; a
/// write to a job that does not exist, or of a seq that does, fails as a 404 / 409 and writes nothing.
/// <c>JobStoreContractTests</c> runs the same calls against this and the Table store on Azurite.
/// </summary>
internal sealed class InMemoryJobStore : IJobStore
{
    private readonly Dictionary<string, JobRecord> _jobs = [];
    private readonly Dictionary<string, List<JobMessage>> _events = [];
    private readonly Dictionary<(string JobId, int StageIndex), string> _outputs = [];

    // Owner key → index row key → (job id, active), ordered as the index table's row keys.
    private readonly Dictionary<string, SortedDictionary<string, IndexRow>> _index = [];
    private readonly Lock _gate = new();

    /// <summary>How many of the next appends fail as a storage outage would.</summary>
    public int FailNextAppends { get; set; }

    /// <summary>How many of the next event reads time out as a storage call past its network timeout does (a cancellation nobody asked for).</summary>
    public int TimeOutNextEventReads { get; set; }

    /// <summary>Transactions committed by <see cref="AppendAsync"/>: what a flush costs in Table storage.</summary>
    public int Appends { get; private set; }

    public IReadOnlyList<JobMessage> EventsOf(string jobId)
    {
        lock (_gate)
        {
            return _events.TryGetValue(jobId, out List<JobMessage>? events) ? [.. events] : [];
        }
    }

    public Task<JobRecord?> CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            JobRecord? existing = _jobs.GetValueOrDefault(job.JobId);
            if (existing is null)
            {
                // What the Table store's create writes: no stage, end, result or error yet, no cancel request.
                _jobs[job.JobId] = job with { CancelRequested = false, Stage = null, CompletedAt = null, Result = null, Error = null };
            }

            // As the Table store: the index row is written again on a duplicate, from the stored record.
            JobRecord indexed = existing ?? job;
            IndexOf(indexed.OwnerId)[JobKeys.IndexRowKey(indexed.CreatedAt, indexed.JobId)] = new IndexRow(indexed.JobId, !JobStatus.IsTerminal(indexed.Status));
            return Task.FromResult(existing);
        }
    }

    /// <summary>Calls of <see cref="GetAsync"/>: each is a point read in Table storage.</summary>
    public int Reads { get; private set; }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Reads++;
            return Task.FromResult(_jobs.GetValueOrDefault(jobId));
        }
    }

    public Task AppendAsync(JobUpdate update, IReadOnlyList<JobMessage> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(events), "A transaction holds the state row and at most 99 events.");
        }

        lock (_gate)
        {
            if (FailNextAppends > 0)
            {
                FailNextAppends--;
                throw new RequestFailedException(503, "storage unavailable");
            }

            // One transaction: nothing is written unless the state row exists and every seq is new.
            if (!_jobs.TryGetValue(update.JobId, out JobRecord? job))
            {
                throw new RequestFailedException(404, $"Job {update.JobId} has no state row.");
            }

            List<JobMessage> stored = _events.GetValueOrDefault(update.JobId) ?? [];
            var seqs = new HashSet<long>(stored.Select(e => e.Seq!.Value));
            foreach (JobMessage message in events)
            {
                long seq = message.Seq ?? throw new ArgumentException("Every persisted event needs a seq.", nameof(events));
                if (!seqs.Add(seq))
                {
                    throw new RequestFailedException(409, $"Event {seq} of job {update.JobId} already exists.");
                }
            }

            _events[update.JobId] = [.. stored, .. events];
            if (update.Output is { } output)
            {
                _outputs[(update.JobId, output.StageIndex)] = output.Json;
            }

            Appends++;
            _jobs[update.JobId] = job with
            {
                LastSeq = update.LastSeq,
                UpdatedAt = update.UpdatedAt,
                Status = update.Status ?? job.Status,
                Percent = update.Percent ?? job.Percent,
                Stage = update.Stage ?? job.Stage,
                Metadata = update.Metadata ?? job.Metadata,
                StageIndex = update.StageIndex ?? job.StageIndex,
                StageAttempt = update.StageAttempt ?? job.StageAttempt,
                CompletedAt = update.CompletedAt ?? job.CompletedAt,
                Result = update.Result ?? job.Result,
                Error = update.Error ?? job.Error,
            };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JobMessage>> GetEventsAsync(string jobId, long afterSeq, int maxCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (TimeOutNextEventReads > 0)
            {
                TimeOutNextEventReads--;
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.");
            }

            IReadOnlyList<JobMessage> page = [.. (_events.GetValueOrDefault(jobId) ?? []).Where(e => e.Seq > Math.Max(afterSeq, 0)).OrderBy(e => e.Seq).Take(maxCount)];
            return Task.FromResult(page);
        }
    }

    public Task<string?> GetStageOutputAsync(string jobId, int stageIndex, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_outputs.GetValueOrDefault((jobId, stageIndex)));
        }
    }

    public Task<bool> BeginRetryAsync(JobRecord failed, JobMessage started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(started);
        lock (_gate)
        {
            // As the Table store's conditional replace: only the failed row as it was read is put back in the queue.
            if (!_jobs.TryGetValue(failed.JobId, out JobRecord? job)
                || job.Status != JobStatus.Failed || job.Retries != failed.Retries || job.LastSeq != started.Seq - 1)
            {
                return Task.FromResult(false);
            }

            _events[failed.JobId] = [.. _events.GetValueOrDefault(failed.JobId) ?? [], started];
            _jobs[failed.JobId] = job with
            {
                Status = JobStatus.Queued,
                Retries = job.Retries + 1,
                LastSeq = started.Seq!.Value,
                UpdatedAt = started.At ?? job.UpdatedAt,
                CancelRequested = false,
                CompletedAt = null,
                Result = null,
                Error = null,
            };
            IndexOf(job.OwnerId)[JobKeys.IndexRowKey(job.CreatedAt, job.JobId)] = new IndexRow(job.JobId, Active: true);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(string ownerId, string? status, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // As the Table store: the owner's index rows in key order (newest first), each read from its state row.
            IReadOnlyList<JobRecord> jobs = [.. IndexOf(ownerId).Values
                .Select(row => _jobs.GetValueOrDefault(row.JobId))
                .OfType<JobRecord>()
                .Where(j => j.OwnerId == ownerId && (status is null || j.Status == status))
                .Take(limit)];
            return Task.FromResult(jobs);
        }
    }

    public Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> QueryAsync(JobQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<JobRecord> jobs = [.. _jobs.Values
                .Where(j => (query.OwnerId is null || j.OwnerId == query.OwnerId) && (query.Action is null || j.Action == query.Action)
                    && (query.Status is null || j.Status == query.Status) && (query.From is null || j.CreatedAt >= query.From)
                    && (query.To is null || j.CreatedAt <= query.To))
                .OrderByDescending(j => j.CreatedAt)
                .Take(query.Limit)];
            return Task.FromResult((jobs, true));
        }
    }

    /// <summary>Calls of <see cref="CountActiveAsync"/>: each is a query in Table storage.</summary>
    public int CountQueries { get; private set; }

    public Task<int> CountActiveAsync(string ownerId, int atMost, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CountQueries++;
            // The index row's flag, not the state row's status: a job that ended counts until MarkEndedAsync.
            return Task.FromResult(Math.Min(atMost, IndexOf(ownerId).Values.Count(row => row.Active)));
        }
    }

    public Task MarkEndedAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            // A merge upsert: it also writes the index row when there was none.
            IndexOf(job.OwnerId)[JobKeys.IndexRowKey(job.CreatedAt, job.JobId)] = new IndexRow(job.JobId, Active: false);
        }

        return Task.CompletedTask;
    }

    public Task RequestCancelAsync(string jobId, string? operatorId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _jobs[jobId] = _jobs.TryGetValue(jobId, out JobRecord? job)
                ? job with { CancelRequested = true, CancelledBy = operatorId ?? job.CancelledBy }
                : throw new RequestFailedException(404, $"Job {jobId} has no state row.");
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListEndedBeforeAsync(
        DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] ended;
        lock (_gate)
        {
            ended = [.. _jobs.Values.Where(j => j.CompletedAt < cutoff).Select(j => j.JobId)];
        }

        foreach (string jobId in ended)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return jobId;
        }
    }

    public Task DeleteAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            _jobs.Remove(job.JobId);
            _events.Remove(job.JobId);
            foreach ((string, int) output in _outputs.Keys.Where(key => key.JobId == job.JobId).ToList())
            {
                _outputs.Remove(output);
            }

            IndexOf(job.OwnerId).Remove(JobKeys.IndexRowKey(job.CreatedAt, job.JobId));
        }

        return Task.CompletedTask;
    }

    private SortedDictionary<string, IndexRow> IndexOf(string ownerId)
    {
        string owner = JobKeys.OwnerKey(ownerId);
        if (!_index.TryGetValue(owner, out SortedDictionary<string, IndexRow>? rows))
        {
            _index[owner] = rows = new SortedDictionary<string, IndexRow>(StringComparer.Ordinal);
        }

        return rows;
    }

    private readonly record struct IndexRow(string JobId, bool Active);
}
