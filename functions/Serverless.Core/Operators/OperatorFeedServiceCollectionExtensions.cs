using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Serverless.Core.Notifications;

namespace Serverless.Core.Operators;

/// <summary>Composition entry point of the operators' feed.</summary>
internal static class OperatorFeedServiceCollectionExtensions
{
    /// <summary>
    /// Registers how this host reaches operator connections; the client notifier then copies every message pushed to
    /// a job's owner to them (<see cref="OperatorFeed"/>).
    /// </summary>
    public static IServiceCollection AddOperatorFeed<TSender>(this IServiceCollection services)
        where TSender : class, IOperatorFeedSender
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TSender>();
        services.TryAddSingleton<IOperatorFeedSender>(sp => sp.GetRequiredService<TSender>());
        return services;
    }

    /// <summary>The push path as clients see it: <paramref name="notifier"/>, copied to the feed when a sender is registered.</summary>
    internal static IClientNotifier WithFeed(IServiceProvider services, IClientNotifier notifier) =>
        services.GetService<IOperatorFeedSender>() is { } feed
            ? new OperatorFeedNotifier(notifier, feed, services.GetRequiredService<ILogger<OperatorFeedNotifier>>())
            : notifier;
}
