using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;

namespace Serverless.LoadTest;

/// <summary>Async jobs of 3 short stages submitted at a steady rate: ack latency, first-progress latency, completed jobs/s.</summary>
internal static class AsyncJobsScenario
{
    private const int Connections = 20;

    public static async Task RunAsync(BenchTarget host, BenchResults results, int jobs, double submitsPerSecond)
    {
        var firstProgress = new ConcurrentDictionary<string, DateTimeOffset>();
        var finished = new ConcurrentDictionary<string, (DateTimeOffset At, string Type)>();
        HubConnection[] connections = await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => host.ConnectAsync($"async-{i}")));
        foreach (HubConnection connection in connections)
        {
            connection.On<JobMessage>(MessageTypes.Target, m =>
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                firstProgress.TryAdd(m.JobId!, now);
                if (MessageTypes.IsTerminal(m.Type))
                {
                    finished.TryAdd(m.JobId!, (now, m.Type));
                }
            });
        }

        try
        {
            var submitted = new ConcurrentDictionary<string, DateTimeOffset>();
            var acks = new ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            DateTimeOffset start = DateTimeOffset.UtcNow;
            var pending = new List<Task>(jobs);
            for (int i = 0; i < jobs; i++)
            {
                TimeSpan due = TimeSpan.FromSeconds(i / submitsPerSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                int index = i;
                pending.Add(Task.Run(async () =>
                {
                    JsonElement request = JsonSerializer.SerializeToElement(new { requestId = $"a{index}", action = "simulate", payload = new { stages = 3, durationMs = 300, updates = 3 } });
                    DateTimeOffset sent = DateTimeOffset.UtcNow;
                    long started = Stopwatch.GetTimestamp();
                    JobMessage ack = await connections[index % Connections].InvokeAsync<JobMessage>("Submit", request);
                    acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    submitted[ack.JobId ?? throw new InvalidOperationException(ack.Error?.Message)] = sent;
                }));
            }

            await Task.WhenAll(pending);
            await ProgressPipelineScenario.WaitForAsync(() => finished.Count >= jobs, TimeSpan.FromMinutes(5));

            double[] firsts = [.. submitted.Select(s => (firstProgress[s.Key] - s.Value).TotalMilliseconds)];
            DateTimeOffset lastDone = finished.Values.Max(f => f.At);
            double completedPerSecond = jobs / (lastDone - start).TotalSeconds;
            int failed = finished.Values.Count(f => f.Type != MessageTypes.Completed);
            double ackP50 = BenchResults.Percentile([.. acks], 50), ackP99 = BenchResults.Percentile([.. acks], 99);
            string scenario = $"async jobs ({host.Name})";
            results.Add(scenario, $"{jobs} jobs offered at {submitsPerSecond:0}/s, failed", failed, "", "0", failed == 0);
            results.Add(scenario, "ack latency p50", ackP50, "ms");
            results.Add(scenario, "ack latency p99", ackP99, "ms", "≤ 50 ms", ackP99 <= 50);
            results.Add(scenario, "first progress p50", BenchResults.Percentile(firsts, 50), "ms", "≤ 500 ms", BenchResults.Percentile(firsts, 50) <= 500);
            results.Add(scenario, "completed", completedPerSecond, "jobs/s", "≥ 20", completedPerSecond >= 20);
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
