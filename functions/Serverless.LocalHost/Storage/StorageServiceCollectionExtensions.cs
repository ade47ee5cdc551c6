using Serverless.Core.Storage;

namespace Serverless.LocalHost.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>Starts Azurite first when it is needed and missing.</summary>
    public static IServiceCollection AddAzurite(this IServiceCollection services)
    {
        services.AddOptions<AzuriteOptions>().BindConfiguration(AzuriteOptions.Section);
        services.AddHostedService<AzuriteLauncher>();
        return services;
    }

    /// <summary>Creates the job tables before anything uses them.</summary>
    public static IServiceCollection AddJobStoreInitializer(this IServiceCollection services)
    {
        services.AddHostedService<JobStoreInitializer>();
        return services;
    }
}

/// <summary>Creates the job store's tables and container at start.</summary>
internal sealed class JobStoreInitializer(IJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
