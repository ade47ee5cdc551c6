using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.Functions.Tests.Infrastructure;

/// <summary>Records scheduled orchestrations and purges instead of talking to a task hub.</summary>
internal sealed class FakeDurableTaskClient() : DurableTaskClient("fake")
{
    public ConcurrentDictionary<string, (TaskName Name, object? Input)> Scheduled { get; } = new();

    public List<PurgeInstancesFilter> Purges { get; } = [];

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        string id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        return Scheduled.TryAdd(id, (orchestratorName, input))
            ? Task.FromResult(id)
            : throw new InvalidOperationException($"Instance {id} already exists.");
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(Scheduled.TryGetValue(instanceId, out var scheduled)
            ? new OrchestrationMetadata(scheduled.Name, instanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Pending }
            : null);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        Purges.Add(filter);
        return Task.FromResult(new PurgeResult(0));
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
}
