using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Tracing;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Jobs;

namespace Serverless.LocalHost.Durable;

/// <summary>
/// The local host's <see cref="IJobScheduler"/>: the Durable client for everything but a new job's first run, whose start
/// message goes to the backend directly. The client's create looks the instance up first (about two table queries) and
/// writes a pending instance row before it puts the start message; for a job whose rows were just created there is
/// nothing to find (the state row's insert refused every duplicate), and the backend writes the instance row itself
/// when it first runs the orchestration. So the start message alone starts the job: one storage request on the ack
/// path instead of about four. The instance is visible to the client once it runs; a duplicate submit before then
/// schedules through the client, and the backend drops the second start message as a duplicate start event.
/// </summary>
internal sealed class SidecarJobScheduler(DurableJobScheduler client, DurableSidecar sidecar, IOptionsMonitor<GrpcDurableTaskClientOptions> clientOptions) : IJobScheduler
{
    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken) => client.ScheduleAsync(input, cancellationToken);

    public async Task ScheduleNewAsync(JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        IOrchestrationServiceClient backend = await sidecar.Backend.WaitAsync(cancellationToken).ConfigureAwait(false);
        using Activity? span = ServerlessTelemetry.StartJobSpan("job.schedule", input.TraceParent, input.JobId, ActivityKind.Producer);

        // What the sidecar builds from the client's request, with the client's own serializer. The sidecar hands the
        // event to the worker as protobuf, whose strings cannot be null: a missing trace state is empty, as from the client.
        var instance = new OrchestrationInstance { InstanceId = JobInput.InstanceIdOf(input.JobId, input.Run), ExecutionId = Guid.NewGuid().ToString() };
        string serialized = clientOptions.Get(Options.DefaultName).DataConverter.Serialize(input with { TraceParent = span?.Id ?? input.TraceParent })!;
        var started = new ExecutionStartedEvent(-1, serialized)
        {
            Name = JobTaskNames.Orchestration,
            Version = string.Empty,
            OrchestrationInstance = instance,
            Tags = new Dictionary<string, string>(),
            Generation = 0,
            ParentTraceContext = span?.Id is { } traceParent ? new DistributedTraceContext(traceParent, span.TraceStateString ?? string.Empty) : null,
        };
        await backend.SendTaskOrchestrationMessageAsync(new TaskMessage { Event = started, OrchestrationInstance = instance })
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> IsScheduledAsync(string instanceId, CancellationToken cancellationToken) => client.IsScheduledAsync(instanceId, cancellationToken);

    public Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken) => client.GetInputAsync(instanceId, cancellationToken);
}
