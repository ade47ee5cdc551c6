using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;
using Serverless.LocalHost.Durable;

namespace Serverless.LoadTest;

/// <summary>
/// The baseline for async jobs: a bare Durable orchestration of 3 activities (each waits as long as a stage of the
/// async scenario's job, nothing else: no job store, no progress, no events) on the local host's worker setup —
/// the same sidecar and Azure Storage backend settings, the same gRPC worker and client — in this process.
/// </summary>
internal sealed class BareDurable : IAsyncDisposable
{
    private const string Orchestration = "BareJob";
    private const string Activity = "BareStage";

    private readonly IHost _worker;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _lastStageDone = new();

    private BareDurable(IHost worker)
    {
        _worker = worker;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>The task hub's name, which prefixes its queues, tables and lease container.</summary>
    public required string TaskHub { get; init; }

    public DurableTaskClient Client { get; }

    public static async Task<BareDurable> StartAsync(string connectionString, string taskHub, TimeSpan stageDuration)
    {
        var sidecar = new DurableSidecar(
            Options.Create(new DurableOptions { TaskHubName = taskHub }),
            Options.Create(new StorageOptions { ConnectionString = connectionString }),
            NullLoggerFactory.Instance);
        await sidecar.StartAsync(CancellationToken.None);

        BareDurable? bare = null;
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(tasks =>
            {
                tasks.AddOrchestratorFunc<int, int>(Orchestration, async (context, stages) =>
                {
                    for (int i = 0; i < stages; i++)
                    {
                        await context.CallActivityAsync(Activity, new StageCall(context.InstanceId, i, stages));
                    }

                    return stages;
                });
                tasks.AddActivityFunc<StageCall, bool>(Activity, async (_, call) =>
                {
                    await Task.Delay(stageDuration);
                    if (call.Index == call.Count - 1 && bare!._lastStageDone.TryRemove(call.InstanceId, out TaskCompletionSource? done))
                    {
                        done.TrySetResult();
                    }

                    return true;
                });
            });
            worker.UseGrpc(sidecar.Channel);
        });
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(sidecar.Channel));
        IHost host = builder.Build();
        await host.StartAsync();
        bare = new BareDurable(host) { TaskHub = taskHub };
        return bare;
    }

    /// <summary>
    /// Schedules one orchestration as the job layer does (its id refused if it exists in any state); the task
    /// completes when its last activity has run — observed in process, so waiting costs no storage request.
    /// </summary>
    public async Task<Task> ScheduleAsync(string instanceId, int stages)
    {
        var lastStage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastStageDone[instanceId] = lastStage;
        await Client.ScheduleNewOrchestrationInstanceAsync(Orchestration, stages, new StartOrchestrationOptions(instanceId));
        return lastStage.Task;
    }

    /// <summary>
    /// Stops the worker. The sidecar is left to the end of the process: stopping its host starts the backend's
    /// shutdown in a fire-and-forget callback that can outlive the storage endpoint it needs (the counting proxy)
    /// and then fails the process ten minutes later.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
    }

    private sealed record StageCall(string InstanceId, int Index, int Count);
}
