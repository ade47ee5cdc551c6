using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Handlers;

namespace Serverless.Core;

/// <summary>Registration of custom actions, the one extension point a handler author calls.</summary>
public static class JobHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a custom action: one class implementing <see cref="IJobHandler"/>, created once (singleton) and run by
    /// both hosts. Registering the same class twice adds it once; two classes with the same
    /// <see cref="IJobHandler.Action"/> make building the handler registry throw <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, THandler>());
        return services;
    }
}
