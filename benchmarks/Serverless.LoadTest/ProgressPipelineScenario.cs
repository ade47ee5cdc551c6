using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;
using Serverless.LocalHost;
using Serverless.Protocol;

namespace Serverless.LoadTest;

/// <summary>
/// A job emitting 10,000 updates over 10 s through the real Table store and SignalR: the batching reporter
/// against a naive path (one Table write and one push per update) in the same host, the same run.
/// </summary>
internal static class ProgressPipelineScenario
{
    private const int Updates = 10_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchStack stack, BenchResults results)
    {
        const string user = "bench-progress";
        var settings = stack.HostSettings("progress" + Guid.NewGuid().ToString("N")[..8]);
        settings["Urls"] = "http://127.0.0.1:0";
        WebApplication app = LocalHostApp.Build([], b => b.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        await app.StartAsync();
        try
        {
            Uri address = new(app.Urls.First());
            var received = new ConcurrentQueue<(JobMessage Message, DateTimeOffset At)>();
            await using HubConnection connection = stack.Connection(address, user);
            connection.On<JobMessage>(MessageTypes.Target, m => received.Enqueue((m, DateTimeOffset.UtcNow)));
            await connection.StartAsync();

            // Batched: the real path, a simulate job.
            var request = JsonSerializer.SerializeToElement(new { requestId = "batched", action = "simulate", payload = new { durationMs = (int)Duration.TotalMilliseconds, updates = Updates } });
            JobMessage accepted = await connection.InvokeAsync<JobMessage>("Submit", request);
            await WaitForAsync(() => received.Any(r => r.Message.JobId == accepted.JobId && MessageTypes.IsTerminal(r.Message.Type)), TimeSpan.FromSeconds(60));
            var batched = received.Where(r => r.Message.JobId == accepted.JobId && r.Message.Type == MessageTypes.Progress).ToList();
            var lastBatched = batched.Last(r => r.Message.Percent == 100);
            double batchedDelay = (lastBatched.At - lastBatched.Message.At!.Value).TotalMilliseconds;

            // Naive: one transaction and one push per update, paced at the same rate, through the same store and hub.
            var store = app.Services.GetRequiredService<IJobStore>();
            var notifier = app.Services.GetRequiredService<IClientNotifier>();
            string jobId = JobKeys.JobId(user, "naive");
            DateTimeOffset created = DateTimeOffset.UtcNow;
            await store.CreateAsync(new JobRecord { JobId = jobId, RequestId = "naive", OwnerId = user, Action = "simulate", CreatedAt = created, UpdatedAt = created }, CancellationToken.None);
            DateTimeOffset naiveStart = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            for (int i = 1; i <= Updates; i++)
            {
                TimeSpan due = Duration * i / Updates;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var message = new JobMessage { Type = MessageTypes.Progress, JobId = jobId, Seq = i, Percent = 100.0 * i / Updates, Stage = "step-1", At = DateTimeOffset.UtcNow, Coalesced = 1 };
                await store.AppendAsync(new JobUpdate { JobId = jobId, LastSeq = i, UpdatedAt = message.At!.Value, Percent = message.Percent }, [message], CancellationToken.None);
                await notifier.SendToUserAsync(user, message, CancellationToken.None);
            }

            DateTimeOffset lastReportDue = naiveStart + Duration;
            await WaitForAsync(() => received.Any(r => r.Message.JobId == jobId && r.Message.Seq == Updates), TimeSpan.FromSeconds(60));
            int naivePushes = received.Count(r => r.Message.JobId == jobId);
            double naiveDelay = (received.First(r => r.Message.JobId == jobId && r.Message.Seq == Updates).At - lastReportDue).TotalMilliseconds;

            double seconds = Duration.TotalSeconds;
            double pushRate = batched.Count / seconds;
            results.Add("progress (batched)", "pushes per second per job", pushRate, "/s", "≤ 6", pushRate <= 6);
            results.Add("progress (batched)", "Table transactions per second per job", pushRate, "/s", "≤ 6", pushRate <= 6);
            results.Add("progress (naive)", "pushes / Table transactions per second", naivePushes / seconds, "/s");
            double reduction = 100 * (1 - (double)batched.Count / naivePushes);
            results.Add("progress", "fewer writes and pushes than naive", reduction, "%", "≥ 99 %", reduction >= 99);
            results.Add("progress (batched)", "last update → client", batchedDelay, "ms", "≤ 250 ms", batchedDelay <= 250);
            results.Add("progress (naive)", "last update due → client", naiveDelay, "ms");
            results.Add("progress (naive)", "time to write 10,000 updates", clock.Elapsed.TotalSeconds, "s");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var wait = Stopwatch.StartNew();
        while (!condition())
        {
            if (wait.Elapsed > timeout)
            {
                throw new TimeoutException($"Not reached within {timeout}.");
            }

            await Task.Delay(20);
        }
    }
}
