using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using Serverless.Core.Capacity;
using Serverless.Core.Health;
using Serverless.Core.Jobs;

namespace Serverless.LocalHost.Durable;

internal static class DurableServiceCollectionExtensions
{
    /// <summary>The Durable Task sidecar on Azure Storage, a worker running the job tasks, and a client to schedule jobs.</summary>
    public static IServiceCollection AddDurableBackend(this IServiceCollection services)
    {
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DurableSidecar>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());

        // Registered after the sidecar so the worker starts once the sidecar listens.
        services.AddDurableTaskWorker(builder =>
        {
            builder.AddTasks(registry => registry.AddJobTasks());
            builder.UseGrpc(_ => { });
        });
        services.AddDurableTaskClient(builder => builder.UseGrpc(_ => { }));
        services.AddOptions<Microsoft.DurableTask.Worker.Grpc.GrpcDurableTaskWorkerOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<DurableSidecar>((options, sidecar) => options.Channel = sidecar.Channel);
        services.AddOptions<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<DurableSidecar>((options, sidecar) => options.Channel = sidecar.Channel);
        services.AddSingleton<IJobScheduler>(sp => new SidecarJobScheduler(
            new DurableJobScheduler(sp.GetRequiredService<DurableTaskClient>()),
            sp.GetRequiredService<DurableSidecar>(),
            sp.GetRequiredService<IOptionsMonitor<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>>()));
        services.AddSingleton<IDependencyCheck, DurableBackendCheck>();
        services.AddTaskHubQueueSampling(sp =>
        {
            DurableOptions options = sp.GetRequiredService<IOptions<DurableOptions>>().Value;
            return new TaskHubQueues(options.TaskHubName, options.PartitionCount);
        });
        return services;
    }
}
