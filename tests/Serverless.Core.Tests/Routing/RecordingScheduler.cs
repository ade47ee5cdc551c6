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

        string instanceId = JobInput.InstanceIdOf(input.JobId, input.Run);
        if (Scheduled.Any(i => JobInput.InstanceIdOf(i.JobId, i.Run) == instanceId))
        {
            throw new InvalidOperationException($"an orchestration with instance id {instanceId} already exists");
        }

        Scheduled.Enqueue(input);
        return Task.CompletedTask;
    }

    public Task<bool> IsScheduledAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(Scheduled.Any(i => JobInput.InstanceIdOf(i.JobId, i.Run) == instanceId));

    public Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(Scheduled.FirstOrDefault(i => JobInput.InstanceIdOf(i.JobId, i.Run) == instanceId));
}
