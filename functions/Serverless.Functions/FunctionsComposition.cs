using Microsoft.Extensions.DependencyInjection;
using Serverless.Core;
using Serverless.Core.Events;
using Serverless.Core.History;
using Serverless.Core.Retention;
using Serverless.Core.SignalRService;
using Serverless.Functions.Durable;

namespace Serverless.Functions;

/// <summary>Everything the function app registers; Program and the tests compose the same way.</summary>
internal static class FunctionsComposition
{
    public static IServiceCollection AddServerlessFunctions(this IServiceCollection services) =>
        services
            .AddJobRouter()
            .AddEventStream()
            .AddAzureSignalRService()
            .AddJobRetention()
            .AddJobHistory()
            .AddFunctionsJobScheduler();
}
