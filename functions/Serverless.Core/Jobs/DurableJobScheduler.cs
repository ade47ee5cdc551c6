using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Jobs;

/// <summary><see cref="IJobScheduler"/> over a <see cref="DurableTaskClient"/>.</summary>
public sealed class DurableJobScheduler(DurableTaskClient client) : IJobScheduler
{
    public async Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = ServerlessTelemetry.StartJobSpan("job.schedule", input.TraceParent, input.JobId, ActivityKind.Producer);

        // Refuse to start an instance id that exists in any state, so a duplicate never restarts a job.
        StartOrchestrationOptions options = new StartOrchestrationOptions(input.JobId)
            .WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
        await client.ScheduleNewOrchestrationInstanceAsync(
            JobTaskNames.Orchestration, input with { TraceParent = span?.Id ?? input.TraceParent }, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null;
}
