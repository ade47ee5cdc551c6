using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.Core.Jobs;

/// <summary><see cref="IJobScheduler"/> over a <see cref="DurableTaskClient"/>.</summary>
public sealed class DurableJobScheduler(DurableTaskClient client) : IJobScheduler
{
    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Refuse to start an instance id that exists in any state, so a duplicate never restarts a job.
        StartOrchestrationOptions options = new StartOrchestrationOptions(input.JobId)
            .WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
        return client.ScheduleNewOrchestrationInstanceAsync(JobTaskNames.Orchestration, input, options, cancellationToken);
    }

    public async Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null;
}
