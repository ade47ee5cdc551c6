using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Endpoints.Hub;
using Serverless.Core.Handlers;
using Serverless.Core.Health;
using Serverless.Core.Jobs;
using Serverless.Core.Notifications;
using Serverless.Core.Operators;
using Serverless.Core.Progress;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;

namespace Serverless.Core;

/// <summary>Composition entry points of the core; each host calls these and adds its own adapters.</summary>
internal static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the router, the built-in handlers, the job activities' bodies, the Table job store and token
    /// checks, with options bound from configuration and validated at start. The host adds an
    /// <see cref="Notifications.IClientNotifier"/> and an <see cref="IJobScheduler"/>.
    /// </summary>
    public static IServiceCollection AddJobRouter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RouterOptions>().BindConfiguration(RouterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProgressOptions>().BindConfiguration(ProgressOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MetadataAddress is not null || o.SigningKey is { Length: >= 32 }, "Auth:SigningKey must be at least 32 characters (or set Auth:MetadataAddress).")
            .Validate(o => o.TokenLifetime <= o.MaxTokenLifetime, "Auth:TokenLifetime must not exceed Auth:MaxTokenLifetime, or this service's own tokens would be refused.")
            .Validate(o => string.IsNullOrEmpty(o.SigningKey) || o.SigningKey.Length >= 32, "Auth:SigningKey, when set, must be at least 32 characters.")
            .Validate(o => o.MetadataAddress is null || TokenService.IsAllowedMetadataAddress(o.MetadataAddress), "Auth:MetadataAddress must be an absolute https URL (http only on a loopback host).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            StorageOptions storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new StorageRequirement(
                [storage.JobsTable, storage.UserJobsTable, storage.RouteStatisticsTable, storage.OperatorControlsTable], [storage.LargeValueContainer]);
        });
        services.TryAddSingleton<StorageClients>();
        services.TryAddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        services.TryAddSingleton<IJobStore, TableJobStore>();
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<DevelopmentTokenIssuer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, HealthHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, EchoHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, GenerateReportHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, SimulateHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, ProcessDataHandler>());
        services.TryAddSingleton<HandlerRegistry>();
        services.TryAddSingleton<UserRateLimiter>();
        services.TryAddSingleton<ActiveJobBounds>();
        services.TryAddSingleton<ActionDurations>();
        services.TryAddSingleton<IActionDurationRecorder>(sp => sp.GetRequiredService<ActionDurations>());
        services.AddHostedService<RouteStatisticsSync>();
        services.TryAddSingleton<StageGate>();
        services.TryAddSingleton<StageRunner>();
        services.TryAddSingleton<JobFinisher>();
        services.TryAddSingleton<HealthService>();
        services.AddMetrics();
        services.TryAddSingleton<Diagnostics.ServerlessMetrics>();
        services.TryAddSingleton<Diagnostics.PrometheusMetrics>();
        services.TryAddSingleton<Diagnostics.CapacityStatistics>();
        services.TryAddSingleton<Diagnostics.JobStatistics>();
        services.AddHostedService<Diagnostics.DiagnosticsStartup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheck, StorageCheck>());
        services.TryAddSingleton<OperatorControlStore>();
        services.TryAddSingleton(sp => new OperatorControls(
            sp.GetRequiredService<OperatorControlStore>(), sp.GetRequiredService<Events.IJobEventSink>(), sp.GetRequiredService<IOptions<OperatorOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OperatorControls>>()));
        services.TryAddSingleton<IPushCircuitOverrides>(sp => sp.GetRequiredService<OperatorControls>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheck, OperatorControls>(sp => sp.GetRequiredService<OperatorControls>()));
        services.TryAddSingleton<InlineJobRunner>();
        services.TryAddScoped<JobStarter>();
        services.TryAddScoped<JobRouter>();
        services.TryAddScoped<JobApi>();
        services.TryAddScoped<OperatorApi>();
        services.TryAddScoped<JobRetrier>();
        services.TryAddScoped<OperatorRetryApi>();
        services.TryAddScoped<JobHubEndpoint>();
        services.TryAddSingleton<OperationsApi>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TNotifier"/> as the push path behind a timeout and circuit breaker whose
    /// state shows in health as <c>push</c>; with an <see cref="IOperatorFeedSender"/> registered, every message
    /// pushed to an owner is copied to the operators' feed outside that breaker.
    /// </summary>
    public static IServiceCollection AddClientNotifier<TNotifier>(this IServiceCollection services)
        where TNotifier : class, IClientNotifier
    {
        services.TryAddSingleton<TNotifier>();
        services.TryAddSingleton(sp => new ResilientClientNotifier(
            sp.GetRequiredService<TNotifier>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IPushCircuitOverrides>()));
        services.TryAddSingleton(sp => OperatorFeedServiceCollectionExtensions.WithFeed(sp, sp.GetRequiredService<ResilientClientNotifier>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheck, ResilientClientNotifier>(sp => sp.GetRequiredService<ResilientClientNotifier>()));
        return services;
    }
}
