using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;

namespace Serverless.LoadTest;

/// <summary>1,000 concurrent clients on one local host, each with a job: failures and the host's peak memory.</summary>
internal static class ConnectionsScenario
{
    public static async Task RunAsync(BenchStack stack, BenchResults results, int clients)
    {
        ChildServer host = await stack.StartServerAsync(stack.HostSettings("conn" + Guid.NewGuid().ToString("N")[..8]));
        var finished = new ConcurrentDictionary<string, string>();
        HubConnection[] connections = [.. Enumerable.Range(0, clients).Select(i => stack.Connection(host.BaseAddress, $"conn-{i}"))];
        foreach (HubConnection connection in connections)
        {
            connection.On<JobMessage>(MessageTypes.Target, m =>
            {
                if (MessageTypes.IsTerminal(m.Type))
                {
                    finished.TryAdd(m.JobId!, m.Type);
                }
            });
        }

        int failures = 0;
        try
        {
            foreach (HubConnection[] batch in connections.Chunk(50))
            {
                await Task.WhenAll(batch.Select(async c =>
                {
                    try
                    {
                        await c.StartAsync();
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }));
            }

            JobMessage[] acks = await Task.WhenAll(connections.Where(c => c.State == HubConnectionState.Connected).Select((c, i) =>
                c.InvokeAsync<JobMessage>("Submit", JsonSerializer.SerializeToElement(new { requestId = $"c{i}", action = "simulate", payload = new { durationMs = 3000, updates = 3 } }))));
            failures += acks.Count(a => a.Type != MessageTypes.Accepted);
            try
            {
                await ProgressPipelineScenario.WaitForAsync(() => finished.Count >= acks.Length, TimeSpan.FromMinutes(3));
            }
            catch (TimeoutException)
            {
                failures += acks.Length - finished.Count;
            }

            failures += finished.Values.Count(t => t != MessageTypes.Completed);
            double rss = host.PeakRssMiB();
            results.Add("connections", $"{clients} clients with a job each, failures", failures, "", "0", failures == 0);
            results.Add("connections", "host peak RSS", rss, "MiB", "≤ 300 MB", rss * 1.048576 <= 300);
        }
        finally
        {
            foreach (HubConnection[] batch in connections.Chunk(100))
            {
                await Task.WhenAll(batch.Select(c => c.DisposeAsync().AsTask()));
            }

            await host.KillAsync();
        }
    }
}
