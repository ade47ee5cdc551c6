using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Capacity;
using Serverless.Core.Jobs;

namespace Serverless.Functions.Durable;

internal static class DurableServiceCollectionExtensions
{
    /// <summary>Scoped, so each invocation's <c>[DurableClient]</c> reaches the router of that invocation only.</summary>
    public static IServiceCollection AddFunctionsJobScheduler(this IServiceCollection services)
    {
        services.AddScoped<FunctionsJobScheduler>();
        services.AddScoped<IJobScheduler>(sp => sp.GetRequiredService<FunctionsJobScheduler>());
        services.AddTaskHubQueueSampling(sp => FunctionsTaskHub.Read(sp.GetRequiredService<IConfiguration>(), Path.Combine(AppContext.BaseDirectory, "host.json")));
        return services;
    }
}
