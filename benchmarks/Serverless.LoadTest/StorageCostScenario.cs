using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;

namespace Serverless.LoadTest;

/// <summary>
/// Storage requests, counted by <see cref="StorageRequestCounter"/>: per 3-stage job (ack path and whole job) for the
/// local host or the Functions app on the Azure path, and for a bare Durable orchestration through the same counter,
/// per progress flush, and per idle minute.
/// Jobs run one at a time, so each one's requests are told apart; queue polling and lease renewals are background,
/// counted per idle minute rather than per job.
/// </summary>
internal static class StorageCostScenario
{
    private static readonly object Job = new { stages = 3, durationMs = 300, updates = 3 };

    /// <summary>The local host as a child process, its storage through the counter.</summary>
    public static async Task RunLocalAsync(BenchStack stack, BenchResults results, bool quick)
    {
        await using StorageRequestCounter counter = StorageRequestCounter.Start(stack.Azurite.ConnectionString);
        await using BenchTarget local = await BenchTarget.StartLocalAsync(stack, "cost", counter.ConnectionString);
        await MeasureAsync(local, counter, results, "storage requests", quick);
    }

    /// <summary>
    /// The Functions app in the Functions host (<see cref="AzurePathStack"/>), its storage (<c>AzureWebJobsStorage</c>,
    /// which the Durable extension and the host use, and the job store's) through the counter; clients go through
    /// negotiate and the SignalR Service emulator. <paramref name="appSettings"/> override host.json for the run.
    /// </summary>
    public static async Task RunAzureAsync(BenchResults results, bool quick, IReadOnlyDictionary<string, string> appSettings)
    {
        StorageRequestCounter? counter = null;
        BenchTarget azure = await BenchTarget.StartAzureAsync(appSettings, azurite => (counter = StorageRequestCounter.Start(azurite)).ConnectionString);
        try
        {
            string overrides = string.Join(", ", appSettings.Select(s => $"{s.Key.Split("__")[^1]} {s.Value}"));
            await MeasureAsync(azure, counter!, results, overrides.Length == 0 ? "storage requests (Azure path, host.json)" : $"storage requests (Azure path, {overrides})", quick);
        }
        finally
        {
            await azure.DisposeAsync();
            await counter!.DisposeAsync();
        }
    }

    private static async Task MeasureAsync(BenchTarget host, StorageRequestCounter counter, BenchResults results, string scenario, bool quick)
    {
        int jobs = quick ? 5 : 10;
        string run = Guid.NewGuid().ToString("N")[..8];
        await using BareDurable bare = await BareDurable.StartAsync(counter.ConnectionString, "bare" + run, TimeSpan.FromMilliseconds(100));
        string bareHub = bare.TaskHub.ToLowerInvariant(), hostHub = host.TaskHub;
        bool IsBare(StorageRequestKind kind) => kind.IsDurableOf(bareHub);
        bool IsHostJob(StorageRequestKind kind) => !IsBare(kind) && !kind.IsPolling;
        bool IsBareJob(StorageRequestKind kind) => IsBare(kind) && !kind.IsPolling;

        var messages = new ConcurrentDictionary<string, ConcurrentQueue<JobMessage>>();
        var terminal = new ConcurrentDictionary<string, TaskCompletionSource>();
        HubConnection connection = await host.ConnectAsync("cost-" + run);
        connection.On<JobMessage>(MessageTypes.Target, m =>
        {
            messages.GetOrAdd(m.JobId!, _ => new ConcurrentQueue<JobMessage>()).Enqueue(m);
            if (MessageTypes.IsTerminal(m.Type))
            {
                terminal.GetOrAdd(m.JobId!, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        });
        try
        {
            async Task<(StorageRequests Ack, StorageRequests Whole, int Messages)> RunJobAsync(string requestId, object payload)
            {
                StorageRequests before = counter.Snapshot();
                JsonElement request = JsonSerializer.SerializeToElement(new { requestId, action = "simulate", payload });
                JobMessage ack = await connection.InvokeAsync<JobMessage>("Submit", request);
                StorageRequests acked = counter.Snapshot();
                string jobId = ack.JobId ?? throw new InvalidOperationException(ack.Error?.Message);
                await terminal.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                    .WaitAsync(TimeSpan.FromMinutes(1));
                await WaitQuietAsync(counter, IsHostJob);
                return ((acked - before).Where(IsHostJob), (counter.Snapshot() - before).Where(IsHostJob), messages[jobId].Count);
            }

            async Task<(StorageRequests Ack, StorageRequests Whole)> RunBareAsync(string instanceId)
            {
                StorageRequests before = counter.Snapshot();
                Task done = await bare.ScheduleAsync(instanceId, 3);
                StorageRequests acked = counter.Snapshot();
                await done.WaitAsync(TimeSpan.FromMinutes(1));
                await WaitQuietAsync(counter, IsBareJob);
                return ((acked - before).Where(IsBareJob), (counter.Snapshot() - before).Where(IsBareJob));
            }

            // Warm-up: tables, queues and containers exist, connections are open, first-use costs are paid.
            await RunJobAsync("warm-1", Job);
            await RunJobAsync("warm-2", Job);
            await RunBareAsync("warm-1");
            await RunBareAsync("warm-2");

            StorageRequests hostAck = StorageRequests.Empty, hostWhole = StorageRequests.Empty;
            StorageRequests bareAck = StorageRequests.Empty, bareWhole = StorageRequests.Empty;
            for (int i = 0; i < jobs; i++)
            {
                (StorageRequests ack, StorageRequests whole, _) = await RunJobAsync($"job-{i}", Job);
                hostAck += ack;
                hostWhole += whole;
                (ack, whole) = await RunBareAsync($"bare-{i}");
                bareAck += ack;
                bareWhole += whole;
            }

            // Per progress flush: the same one-stage job with many updates and with none; the difference in
            // requests over the difference in persisted messages is what one more flush costs.
            StorageRequests busy = StorageRequests.Empty, still = StorageRequests.Empty;
            int busyMessages = 0, stillMessages = 0;
            for (int i = 0; i < (quick ? 2 : 3); i++)
            {
                (_, StorageRequests whole, int count) = await RunJobAsync($"busy-{i}", new { stages = 1, durationMs = 2000, updates = 40 });
                busy += whole;
                busyMessages += count;
                (_, whole, count) = await RunJobAsync($"still-{i}", new { stages = 1, durationMs = 2000, updates = 0 });
                still += whole;
                stillMessages += count;
            }

            TimeSpan idleFor = TimeSpan.FromSeconds(quick ? 15 : 30);
            StorageRequests idleStart = counter.Snapshot();
            await Task.Delay(idleFor);
            StorageRequests idle = counter.Snapshot() - idleStart;

            double perMinute = TimeSpan.FromMinutes(1) / idleFor;
            double hostAckPerJob = (double)hostAck.Total / jobs, bareAckPerJob = (double)bareAck.Total / jobs;
            double hostPerJob = (double)hostWhole.Total / jobs, barePerJob = (double)bareWhole.Total / jobs;
            double perFlush = (double)(busy.Total - still.Total) / Math.Max(1, busyMessages - stillMessages);
            double backendPolling = idle.Where(k => k.IsDurableOf(hostHub) && k.Service == "queue").Total * perMinute;
            double backendLeases = idle.Where(k => k.IsDurableOf(hostHub) && k.Service != "queue").Total * perMinute;
            double backendIdle = backendPolling + backendLeases;
            double appIdle = idle.Where(k => !IsBare(k) && !k.IsDurableOf(hostHub)).Total * perMinute;
            double bareIdle = idle.Where(IsBare).Total * perMinute;

            results.Add(scenario, "per 3-stage job, bare Durable orchestration", barePerJob, "requests");
            results.Add(scenario, $"per 3-stage job, {host.Name}", hostPerJob, "requests");
            results.Add(scenario, "per 3-stage job vs bare Durable", hostPerJob / barePerJob, "×", "≤ 1.3×", hostPerJob <= 1.3 * barePerJob);
            results.Add(scenario, "ack path, bare Durable (schedule)", bareAckPerJob, "requests");
            results.Add(scenario, $"ack path, {host.Name}", hostAckPerJob, "requests", "≤ 4", hostAckPerJob <= 4);
            results.Add(scenario, "per progress flush (one more flush of a running stage)", perFlush, "requests");
            results.Add(scenario, $"idle: the {host.Name}'s Durable backend, queue polling", backendPolling, "requests/min");
            results.Add(scenario, $"idle: the {host.Name}'s Durable backend, leases", backendLeases, "requests/min");
            results.Add(scenario, "idle: the app's own requests (its timers; on the Azure path the host's too)", appIdle, "requests/min", "≤ 10 % of the backend's", appIdle <= 0.1 * backendIdle);
            results.Add(scenario, $"idle: the {host.Name} per day", (backendIdle + appIdle) * 60 * 24, "transactions");
            results.Add(scenario, "idle: bare Durable", bareIdle, "requests/min");

            PrintBreakdown($"{host.Name}, per job", hostWhole, jobs);
            PrintBreakdown($"{host.Name}, ack path per job", hostAck, jobs);
            PrintBreakdown("bare Durable, per orchestration", bareWhole, jobs);
            PrintBreakdown("bare Durable, schedule", bareAck, jobs);
            Console.WriteLine($"  per flush: {busy.Total - still.Total} requests over {busyMessages - stillMessages} more messages");
            PrintBreakdown("idle, per minute", idle, 1 / perMinute);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static void PrintBreakdown(string title, StorageRequests requests, double divideBy)
    {
        Console.WriteLine($"  {title}:");
        foreach (string line in requests.Describe(divideBy))
        {
            Console.WriteLine("    " + line);
        }
    }

    /// <summary>Waits until no request <paramref name="counts"/> accepts has been made for a second (at most 15 s).</summary>
    private static async Task WaitQuietAsync(StorageRequestCounter counter, Func<StorageRequestKind, bool> counts)
    {
        var wait = Stopwatch.StartNew();
        long last = counter.Snapshot().Where(counts).Total;
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromSeconds(1) && wait.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
            long now = counter.Snapshot().Where(counts).Total;
            if (now != last)
            {
                last = now;
                quiet.Restart();
            }
        }
    }
}
