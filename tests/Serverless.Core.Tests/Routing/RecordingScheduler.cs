using System.Collections.Concurrent;
using Serverless.Core.Jobs;

namespace Serverless.Core.Tests.Routing;

/// <summary>
/// An <see cref="IJobScheduler"/> that records what it started and, like the Durable scheduler with dedupe
/// statuses, refuses a second instance with the same id; it can be made to fail.
/// </summary>
internal sealed class RecordingScheduler : IJobScheduler
{
    public ConcurrentQueue<JobInput> Scheduled { get; } = new();

    public bool Fail { get; set; }

    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("the orchestration backend is down");
        }

        if (Scheduled.Any(i => i.JobId == input.JobId))
        {
            throw new InvalidOperationException($"an orchestration with instance id {input.JobId} already exists");
        }

        Scheduled.Enqueue(input);
        return Task.CompletedTask;
    }

    public Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Scheduled.Any(i => i.JobId == jobId));
}
