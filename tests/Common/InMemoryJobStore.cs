using System.Collections.Concurrent;
using Serverless.Core.Protocol;
using Serverless.Core.Storage;

namespace Serverless.Tests.Common;

/// <summary>An <see cref="IJobStore"/> in memory, for tests of the core and of function classes without storage.</summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly ConcurrentDictionary<string, JobRecord> _jobs = new();
    private readonly ConcurrentDictionary<string, List<JobMessage>> _events = new();

    /// <summary>How many of the next appends fail as a storage outage would.</summary>
    public int FailNextAppends { get; set; }

    public IReadOnlyList<JobMessage> EventsOf(string jobId) => _events.TryGetValue(jobId, out var events) ? events : [];

    public Task<JobRecord?> CreateAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.TryAdd(job.JobId, job) ? null : _jobs[job.JobId]);

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.GetValueOrDefault(jobId));

    public Task AppendAsync(JobUpdate update, IReadOnlyList<JobMessage> events, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            if (FailNextAppends > 0)
            {
                FailNextAppends--;
                throw new Azure.RequestFailedException(503, "storage unavailable");
            }

            List<JobMessage> stored = _events.GetOrAdd(update.JobId, _ => []);
            if (events.Any(e => stored.Any(s => s.Seq == e.Seq)))
            {
                throw new InvalidOperationException("seq already written");
            }

            stored.AddRange(events);
            JobRecord job = _jobs[update.JobId];
            _jobs[update.JobId] = job with
            {
                LastSeq = update.LastSeq,
                UpdatedAt = update.UpdatedAt,
                Status = update.Status ?? job.Status,
                Percent = update.Percent ?? job.Percent,
                Stage = update.Stage ?? job.Stage,
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
        lock (_events)
        {
            IReadOnlyList<JobMessage> page = [.. EventsOf(jobId).Where(e => e.Seq > afterSeq).OrderBy(e => e.Seq).Take(maxCount)];
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(string ownerId, string? status, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobRecord> jobs = [.. _jobs.Values
            .Where(j => j.OwnerId == ownerId && (status is null || j.Status == status))
            .OrderByDescending(j => j.CreatedAt)
            .Take(limit)];
        return Task.FromResult(jobs);
    }

    public Task<int> CountActiveAsync(string ownerId, int atMost, CancellationToken cancellationToken) =>
        Task.FromResult(Math.Min(atMost, _jobs.Values.Count(j => j.OwnerId == ownerId && !JobStatus.IsTerminal(j.Status))));

    public Task MarkEndedAsync(JobRecord job, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RequestCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        _jobs[jobId] = _jobs[jobId] with { CancelRequested = true };
        return Task.CompletedTask;
    }

    public Task DeleteAsync(JobRecord job, CancellationToken cancellationToken)
    {
        _jobs.TryRemove(job.JobId, out _);
        _events.TryRemove(job.JobId, out _);
        return Task.CompletedTask;
    }
}
