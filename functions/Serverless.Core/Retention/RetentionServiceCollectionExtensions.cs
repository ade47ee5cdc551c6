using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Retention;

/// <summary>Composition entry point for the retention purge.</summary>
internal static class RetentionServiceCollectionExtensions
{
    /// <summary>Adds <see cref="JobRetention"/> with <see cref="RetentionOptions"/> bound from <c>Retention</c>. Needs <c>AddJobRouter()</c>.</summary>
    public static IServiceCollection AddJobRetention(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JobRetention(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<IOptions<RetentionOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JobRetention>>()));
        return services;
    }

    /// <summary>
    /// Adds <see cref="JobRetention"/> and runs it every <see cref="RetentionOptions.Interval"/>, for a host without a
    /// timer trigger. Needs <c>AddJobRouter()</c> and a registered <c>DurableTaskClient</c>.
    /// </summary>
    public static IServiceCollection AddScheduledJobRetention(this IServiceCollection services)
    {
        services.AddJobRetention();
        services.AddHostedService<RetentionSchedule>();
        return services;
    }
}
