using Serverless.Core.Diagnostics;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>Capacity in <c>/api/stats</c> and <c>/api/metrics</c>: process, stages and the task hub's queues.</summary>
[Collection(StackCollection.Name)]
public sealed class CapacityTests(LocalStackFixture stack)
{
    [Fact]
    public async Task StatsAndMetrics_WhileAJobRuns_ShowProcessStagesAndTaskHubQueues()
    {
        using HttpClient http = stack.Host.CreateHttpClient("capacity-user");

        JobStatisticsSnapshot stats = await CapacityView.AssertVisibleWhileAJobRunsAsync(http, "capacity-1", TimeSpan.FromSeconds(60));

        // The hub connection gauge exists on this host: none of this test's own.
        Assert.NotNull(stats.Capacity.ConnectedClients);
    }
}
