using System.Collections.Concurrent;
using Serverless.Core.Jobs;

namespace Serverless.Core.Tests.Events;

/// <summary>Records scheduled jobs; the test runs their stages itself, as the orchestration would.</summary>
internal sealed class CapturingScheduler : IJobScheduler
{
    public ConcurrentDictionary<string, JobInput> Scheduled { get; } = new();

    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        Scheduled[input.JobId] = input;
        return Task.CompletedTask;
    }

    public Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(Scheduled.ContainsKey(jobId));

    public Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(Scheduled.Values.FirstOrDefault(i => JobInput.InstanceIdOf(i.JobId, i.Run) == instanceId));
}
