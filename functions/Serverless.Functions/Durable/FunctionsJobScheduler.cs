using Microsoft.DurableTask.Client;
using Serverless.Core.Jobs;

namespace Serverless.Functions.Durable;

/// <summary>
/// The <see cref="IJobScheduler"/> of one invocation. Isolated Durable Functions hand the client to the function as a
/// <c>[DurableClient]</c> parameter, not through DI, so a function that may start jobs passes it here first.
/// </summary>
internal sealed class FunctionsJobScheduler : IJobScheduler
{
    private DurableJobScheduler? _scheduler;

    /// <summary>Schedules through <paramref name="client"/> for the rest of this invocation.</summary>
    public void Use(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _scheduler = new DurableJobScheduler(client);
    }

    public Task ScheduleAsync(JobInput input, CancellationToken cancellationToken) =>
        Scheduler.ScheduleAsync(input, cancellationToken);

    public Task<bool> IsScheduledAsync(string instanceId, CancellationToken cancellationToken) =>
        Scheduler.IsScheduledAsync(instanceId, cancellationToken);

    public Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken) =>
        Scheduler.GetInputAsync(instanceId, cancellationToken);

    private DurableJobScheduler Scheduler => _scheduler
        ?? throw new InvalidOperationException("This function starts jobs but took no [DurableClient] parameter; call Use(client) first.");
}
