using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Storage;

namespace Serverless.Core.Capacity;

internal static class CapacityServiceCollectionExtensions
{
    /// <summary>
    /// Watches the task hub the host runs on (<paramref name="taskHub"/>) in the job storage account, with
    /// <see cref="CapacityOptions"/> bound from <c>Capacity</c>. Needs <c>AddJobRouter()</c>.
    /// </summary>
    public static IServiceCollection AddTaskHubQueueSampling(this IServiceCollection services, Func<IServiceProvider, TaskHubQueues> taskHub)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(taskHub);
        services.AddOptions<CapacityOptions>().BindConfiguration(CapacityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(taskHub);
        services.TryAddSingleton(sp => new TaskHubQueueSampler(
            sp.GetRequiredService<TaskHubQueues>(),
            sp.GetRequiredService<StorageClients>().Queues,
            sp.GetRequiredService<IOptions<CapacityOptions>>(),
            sp.GetRequiredService<ServerlessMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TaskHubQueueSampler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TaskHubQueueSampler>());
        return services;
    }
}
