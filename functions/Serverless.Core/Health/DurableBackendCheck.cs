using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Serverless.Protocol;

namespace Serverless.Core.Health;

/// <summary>The Durable Task backend answers an instance query through the client the router schedules with.</summary>
internal sealed class DurableBackendCheck(DurableTaskClient client) : IDependencyCheck
{
    public string Name => "durable";

    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await client.GetInstanceAsync("health-probe", getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return new DependencyHealth(Name, HealthStatus.Green, "task hub answered", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
