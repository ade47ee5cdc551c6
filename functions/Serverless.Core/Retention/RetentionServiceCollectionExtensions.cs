using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Retention;

/// <summary>Composition entry point for the retention purge.</summary>
public static class RetentionServiceCollectionExtensions
{
    /// <summary>Adds <see cref="JobRetention"/> with <see cref="RetentionOptions"/> bound from <c>Retention</c>. Needs <c>AddJobRouter()</c>.</summary>
    public static IServiceCollection AddJobRetention(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            StorageOptions storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new JobRetention(
                sp.GetRequiredService<IJobStore>(),
                StorageClients.CreateTableService(storage).GetTableClient(storage.JobsTable),
                sp.GetRequiredService<IOptions<RetentionOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<JobRetention>>());
        });
        return services;
    }
}
