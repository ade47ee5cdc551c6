using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>Capacity in the Functions app's <c>/api/stats</c> and <c>/api/metrics</c>, as on the local host.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class CapacityTests(AzurePathFixture fixture)
{
    [Fact]
    public async Task StatsAndMetrics_WhileAJobRuns_ShowProcessStagesAndTaskHubQueues()
    {
        using HttpClient http = fixture.Stack.CreateHttpClient("capacity-user");

        await CapacityView.AssertVisibleWhileAJobRunsAsync(http, "capacity-1", TimeSpan.FromSeconds(120));
    }
}
