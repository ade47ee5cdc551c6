using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.History;

internal static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// Records per-minute job history into <see cref="HistoryOptions.Table"/> (created at start) and answers history
    /// queries, with <see cref="HistoryOptions"/> bound from <c>History</c>. Needs <c>AddJobRouter()</c>.
    /// </summary>
    public static IServiceCollection AddJobHistory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new StorageRequirement([sp.GetRequiredService<IOptions<HistoryOptions>>().Value.Table], []));
        services.TryAddSingleton(sp => new HistoryStore(
            sp.GetRequiredService<StorageClients>().Table(sp.GetRequiredService<IOptions<HistoryOptions>>().Value.Table)));
        services.TryAddSingleton<HistoryRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRecorder>());
        services.TryAddSingleton(sp => new HistoryReader(sp.GetRequiredService<HistoryStore>(), sp.GetRequiredService<HistoryRecorder>()));
        services.TryAddSingleton<HistoryApi>();
        return services;
    }
}
