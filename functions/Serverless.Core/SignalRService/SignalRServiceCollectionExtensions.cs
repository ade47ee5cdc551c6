using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Hub;
using Serverless.Core.Health;
using Serverless.Core.Notifications;
using Serverless.Core.Operators;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;

namespace Serverless.Core.SignalRService;

/// <summary>Composition entry point for Azure SignalR Service in serverless mode.</summary>
internal static class SignalRServiceCollectionExtensions
{
    // Long-lived pooled connections must still notice DNS changes (failover, scale units).
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Adds the REST notifier (as the <see cref="IClientNotifier"/>, copied to the operators' feed group), <see cref="SignalRNegotiator"/> and
    /// <see cref="UpstreamHandler"/>, with <see cref="SignalRServiceOptions"/> bound from <c>SignalR</c> and validated at start.
    /// Needs <see cref="ServiceCollectionExtensions.AddJobRouter"/>.
    /// </summary>
    public static IServiceCollection AddAzureSignalRService(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SignalRServiceOptions>().BindConfiguration(SignalRServiceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => SignalRConnectionString.Parse(Options(sp).ConnectionString));
        services.TryAddSingleton(sp => new SignalRAccessTokens(sp.GetRequiredService<SignalRConnectionString>(), sp.GetRequiredService<TokenService>()));
        services.TryAddSingleton(sp => new SignalRRestClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<SignalRConnectionString>(),
            sp.GetRequiredService<SignalRAccessTokens>(),
            sp.GetRequiredService<IOptions<SignalRServiceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SignalRRestClient>>()));
        services.TryAddSingleton(sp => new SignalRClientNotifier(
            sp.GetRequiredService<SignalRRestClient>(), new PushCircuitHold(sp.GetService<IPushCircuitOverrides>(), sp.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton(sp => new SignalROperatorFeed(sp.GetRequiredService<SignalRRestClient>()));
        services.TryAddSingleton<IOperatorFeedSender>(sp => sp.GetRequiredService<SignalROperatorFeed>());
        services.TryAddSingleton(sp => OperatorFeedServiceCollectionExtensions.WithFeed(sp, sp.GetRequiredService<SignalRClientNotifier>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheck, SignalRClientNotifier>(sp => sp.GetRequiredService<SignalRClientNotifier>()));
        services.TryAddSingleton(sp => new SignalRNegotiator(
            sp.GetRequiredService<SignalRConnectionString>(),
            sp.GetRequiredService<SignalRAccessTokens>(),
            sp.GetRequiredService<IOptions<SignalRServiceOptions>>()));
        services.AddSingleton(sp => new StorageRequirement([sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionsTable], []));
        services.TryAddSingleton<IConnectionOwners, TableConnectionOwners>();
        services.TryAddSingleton<SignalRConnectionCap>();
        services.TryAddScoped(sp => new UpstreamHandler(
            sp.GetRequiredService<JobHubEndpoint>(),
            sp.GetRequiredService<IConnectionOwners>(),
            sp.GetRequiredService<SignalROperatorFeed>(),
            sp.GetRequiredService<SignalRConnectionCap>(),
            sp.GetRequiredService<SignalRConnectionString>(),
            sp.GetRequiredService<IOptions<SignalRServiceOptions>>(),
            sp.GetRequiredService<ServerlessMetrics>(),
            sp.GetRequiredService<ILogger<UpstreamHandler>>()));
        return services;
    }

    private static SignalRServiceOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SignalRServiceOptions>>().Value;
}
