using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.Core.Jobs;

/// <summary><see cref="IJobScheduler"/> over a <see cref="DurableTaskClient"/>.</summary>
public sealed class DurableJobScheduler(DurableTaskClient client) : IJobScheduler
{
    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return client.ScheduleNewOrchestrationInstanceAsync(
            JobTaskNames.Orchestration, input, new StartOrchestrationOptions(input.JobId), cancellationToken);
    }

    public async Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null;
}
