
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
}
