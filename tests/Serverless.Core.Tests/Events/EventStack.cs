using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Core.Events;
using Serverless.Core.Jobs;
using Serverless.Core.Notifications;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Events;

/// <summary>
/// The core composed as a host composes it (AddJobRouter + AddEventStream) on Azurite, with its own tables,
/// running the event writer and shipper; jobs run their stages here as the orchestration would.
/// </summary>
internal sealed class EventStack : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    private EventStack(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public CapturingScheduler Scheduler => (CapturingScheduler)Services.GetRequiredService<IJobScheduler>();

    public static async Task<EventStack> StartAsync(string connectionString, ControllablePublisher? publisher, bool start = true)
    {
        string suffix = Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:JobsTable"] = "jobs" + suffix,
            ["Storage:UserJobsTable"] = "userjobs" + suffix,
            ["Storage:LargeValueContainer"] = "payloads-" + suffix,
            ["EventStream:OutboxTable"] = "events" + suffix,
            ["EventStream:PollInterval"] = "00:00:00.050",
            ["EventStream:Grace"] = "00:00:02",
        };
        if (publisher is not null)
        {
            // Configured: the real publisher is replaced below, so nothing tries to reach this namespace.
            settings["EventStream:FullyQualifiedNamespace"] = "test.servicebus.windows.net";
            settings["EventStream:EventHubName"] = "jobs";
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddJobRouter();
        services.AddEventStream();
        services.AddJobHandler<StagedTestHandler>();
        services.AddSingleton<IClientNotifier, NoopNotifier>();
        services.AddSingleton<IJobScheduler, CapturingScheduler>();
        if (publisher is not null)
        {
            services.AddSingleton<IJobEventPublisher>(publisher);
        }

        var stack = new EventStack(services.BuildServiceProvider());
        await stack.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        if (start)
        {
            foreach (IHostedService hosted in stack.Services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
                stack._started.Add(hosted);
            }
        }

        return stack;
    }

    /// <summary>Submits a job and runs its stages and finish; returns its id and how long that took.</summary>
    public async Task<(string JobId, TimeSpan Duration)> RunJobAsync(string requestId)
    {
        var watch = Stopwatch.StartNew();
        string jobId;
        using (IServiceScope scope = Services.CreateScope())
        {
            JobMessage accepted = await scope.ServiceProvider.GetRequiredService<JobRouter>()
                .SubmitAsync(new CallerIdentity("user-1"), new JobRequest { RequestId = requestId, Action = StagedTestHandler.Name }, CancellationToken.None);
            Assert.Equal(MessageTypes.Accepted, accepted.Type);
            jobId = accepted.JobId!;
        }

        // As the orchestration runs it: a successful last stage writes the terminal state itself.
        JobInput input = Scheduler.Scheduled[jobId];
        string? previous = null;
        for (int stage = 0; stage < input.Stages.Count; stage++)
        {
            StageResult result = await Services.GetRequiredService<StageRunner>()
                .RunAsync(new StageInput(jobId, input.Action, input.PayloadJson, input.Stages, stage, previous), CancellationToken.None);
            if (result.Finished)
            {
                return (jobId, watch.Elapsed);
            }

            previous = result.OutputJson;
        }

        throw new InvalidOperationException($"The last stage of job {jobId} did not end it.");
    }

    /// <summary>The ids a job's stream must hold: one per persisted message (by seq), plus submitted, accepted and one stage.finished per stage.</summary>
    public async Task<IReadOnlyList<string>> PersistedMessageIdsAsync(string jobId)
    {
        IReadOnlyList<JobMessage> messages = await Services.GetRequiredService<IJobStore>().GetEventsAsync(jobId, 0, 1000, CancellationToken.None);
        return [.. messages.Select(m => $"{jobId}.{m.Seq}")];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IHostedService hosted in Enumerable.Reverse(_started))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
    }
}
