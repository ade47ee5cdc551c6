using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Jobs;

/// <summary><see cref="IJobScheduler"/> over a <see cref="DurableTaskClient"/>.</summary>
internal sealed class DurableJobScheduler(DurableTaskClient client) : IJobScheduler
{
    public async Task ScheduleAsync(JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = ServerlessTelemetry.StartJobSpan("job.schedule", input.TraceParent, input.JobId, ActivityKind.Producer);

        // Refuse to start an instance id that exists in any state, so a duplicate never restarts a job.
        StartOrchestrationOptions options = new StartOrchestrationOptions(JobInput.InstanceIdOf(input.JobId, input.Run))
            .WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
        await client.ScheduleNewOrchestrationInstanceAsync(
            JobTaskNames.Orchestration, input with { TraceParent = span?.Id ?? input.TraceParent }, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsScheduledAsync(string instanceId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken) =>
        (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false))?.ReadInputAs<JobInput>();
}
