using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;

namespace Serverless.LoadTest;

/// <summary>
/// Async jobs of 3 short stages submitted at a steady rate: ack latency and first progress at 10 submits/s (the
/// goals), the same at 30/s, and completed jobs/s at 30/s against a bare Durable orchestration offered the same load.
/// </summary>
internal static class AsyncJobsScenario
{
    private const int Connections = 20;
    private const double SteadyRate = 10;
    private const double BusyRate = 30;

    /// <summary>What one run at one offered load measured.</summary>
    private sealed record Run(int Jobs, int Failed, double AckP50, double AckP99, double FirstProgressP50, double CompletedPerSecond, double WarmUpAckP99);

    // The steady rate's first seconds are not steady: the host's JIT compiles its hot paths again at a higher tier, which
    // takes most of a core for several seconds (dotnet-counters: dotnet.jit.compilation.time). They are offered at the
    // same rate and reported on their own row.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchTarget host, BenchResults results, bool quick, BareDurable? bare)
    {
        string scenario = $"async jobs ({host.Name})";
        Run steady = await MeasureAsync(host, quick ? 100 : 200, SteadyRate, "s", WarmUp);
        results.Add(scenario, $"ack latency p99 over the first {WarmUp.TotalSeconds:0} s at {SteadyRate:0}/s (warm-up, not counted below)", steady.WarmUpAckP99, "ms");
        results.Add(scenario, $"{steady.Jobs} jobs offered at {SteadyRate:0}/s after it, failed", steady.Failed, "", "0", steady.Failed == 0);
        results.Add(scenario, $"ack latency p50 at {SteadyRate:0}/s", steady.AckP50, "ms");
        results.Add(scenario, $"ack latency p99 at {SteadyRate:0}/s", steady.AckP99, "ms", "≤ 50 ms", steady.AckP99 <= 50);
        results.Add(scenario, $"first progress p50 at {SteadyRate:0}/s", steady.FirstProgressP50, "ms", "≤ 300 ms", steady.FirstProgressP50 <= 300);

        Run busy = await MeasureAsync(host, quick ? 150 : 300, BusyRate, "b", TimeSpan.Zero);
        results.Add(scenario, $"{busy.Jobs} jobs offered at {BusyRate:0}/s, failed", busy.Failed, "", "0", busy.Failed == 0);
        results.Add(scenario, $"ack latency p50 / p99 at {BusyRate:0}/s", busy.AckP50, $"ms / {busy.AckP99:0} ms");
        results.Add(scenario, $"first progress p50 at {BusyRate:0}/s", busy.FirstProgressP50, "ms");
        results.Add(scenario, $"completed at {BusyRate:0}/s offered", busy.CompletedPerSecond, "jobs/s");
        if (bare is not null)
        {
            double bareRate = await MeasureBareAsync(bare, busy.Jobs, BusyRate);
            results.Add("bare Durable orchestrations", $"completed at {BusyRate:0}/s offered", bareRate, "orchestrations/s");
            double ratio = busy.CompletedPerSecond / bareRate;
            results.Add(scenario, "completed vs bare Durable", ratio, "×", "≥ 0.8×", ratio >= 0.8);
        }
    }

    private static async Task<Run> MeasureAsync(BenchTarget host, int jobs, double submitsPerSecond, string prefix, TimeSpan warmUp)
    {
        var firstProgress = new ConcurrentDictionary<string, DateTimeOffset>();
        var finished = new ConcurrentDictionary<string, (DateTimeOffset At, string Type)>();
        HubConnection[] connections = await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => host.ConnectAsync($"async-{prefix}{i}")));
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
            // One steady offer: the warm-up's jobs first, then the measured ones, at the same rate without a pause.
            int warmUpJobs = (int)(warmUp.TotalSeconds * submitsPerSecond);
            var submitted = new ConcurrentDictionary<string, DateTimeOffset>();
            var acks = new ConcurrentBag<double>();
            var warmUpAcks = new ConcurrentBag<double>();
            DateTimeOffset start = DateTimeOffset.UtcNow;
            await OfferAsync(warmUpJobs + jobs, submitsPerSecond, async index =>
            {
                JsonElement request = JsonSerializer.SerializeToElement(new { requestId = $"{prefix}{index}", action = "simulate", payload = new { stages = 3, durationMs = 300, updates = 3 } });
                DateTimeOffset sent = DateTimeOffset.UtcNow;
                long started = Stopwatch.GetTimestamp();
                JobMessage ack = await connections[index % Connections].InvokeAsync<JobMessage>("Submit", request);
                string jobId = ack.JobId ?? throw new InvalidOperationException(ack.Error?.Message);
                if (index < warmUpJobs)
                {
                    warmUpAcks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                submitted[jobId] = sent;
            }, measuredFrom: warmUpJobs, onMeasuredStart: () => start = DateTimeOffset.UtcNow);
            await ProgressPipelineScenario.WaitForAsync(() => submitted.Keys.All(finished.ContainsKey), TimeSpan.FromMinutes(5));

            double[] firsts = [.. submitted.Select(s => (firstProgress[s.Key] - s.Value).TotalMilliseconds)];
            (DateTimeOffset At, string Type)[] ends = [.. submitted.Keys.Select(id => finished[id])];
            return new Run(
                jobs,
                ends.Count(f => f.Type != MessageTypes.Completed),
                BenchResults.Percentile([.. acks], 50),
                BenchResults.Percentile([.. acks], 99),
                BenchResults.Percentile(firsts, 50),
                jobs / (ends.Max(f => f.At) - start).TotalSeconds,
                warmUpAcks.IsEmpty ? 0 : BenchResults.Percentile([.. warmUpAcks], 99));
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Completed orchestrations per second when <paramref name="jobs"/> are offered at the same rate.</summary>
    private static async Task<double> MeasureBareAsync(BareDurable bare, int jobs, double submitsPerSecond)
    {
        var done = new ConcurrentBag<Task>();
        string run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        await OfferAsync(jobs, submitsPerSecond, async index => done.Add(await bare.ScheduleAsync($"load-{run}-{index}", 3)));
        await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(5));
        return jobs / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Starts <paramref name="submit"/> for each job on schedule (an open loop: a slow answer does not slow the offer), then
    /// waits for all; <paramref name="onMeasuredStart"/> runs when job <paramref name="measuredFrom"/> is due.
    /// </summary>
    private static async Task OfferAsync(int jobs, double perSecond, Func<int, Task> submit, int measuredFrom = 0, Action? onMeasuredStart = null)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(jobs);
        for (int i = 0; i < jobs; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            if (i == measuredFrom)
            {
                onMeasuredStart?.Invoke();
            }

            int index = i;
            pending.Add(Task.Run(() => submit(index)));
        }

        await Task.WhenAll(pending);
    }
}
