using DurableTask.AzureStorage;
using Serverless.LocalHost.Durable;

namespace Serverless.LocalHost.Tests.Durable;

public sealed class StartedOnlyStopOrchestrationServiceTests
{
    [Fact]
    public async Task StopAsync_NeverStarted_ReturnsWithoutStoppingTheBackend()
    {
        AzureStorageOrchestrationService backend = CreateBackend();
        var service = new StartedOnlyStopOrchestrationService(backend);

        await service.StopAsync();
        await service.StopAsync(isForced: true);

        // The guard's reason: the backend itself throws on a stop without a start. If a new version stops throwing,
        // this fails and the guard can go.
        await Assert.ThrowsAsync<NullReferenceException>(() => backend.StopAsync());
    }

    private static AzureStorageOrchestrationService CreateBackend() =>
        new(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "neverstarted",
            // Never contacted: nothing here starts the backend.
            StorageAccountClientProvider = new StorageAccountClientProvider("UseDevelopmentStorage=true"),
        });
}
