using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Serverless.LoadTest;

/// <summary>
/// 100 SignalR clients calling <c>echo</c> in a closed loop: the local host against a bare echo hub, same tool, same
/// run, alternating over five rounds; or the Azure path alone (negotiate → SignalR Service emulator → upstream → the app in the Functions host).
/// </summary>
internal static class SyncOverheadScenario
{
    private const int Clients = 100;

    private const int Rounds = 5;

    /// <summary>
    /// Alternates the bare hub and the router over <see cref="Rounds"/> rounds, both servers up throughout, and takes
    /// the median of the rounds' ratios: a burst of other work on the machine spoils one round, not the figure.
    /// </summary>
    public static async Task RunAsync(BenchStack stack, BenchResults results, TimeSpan duration)
    {
        ChildServer bare = await stack.StartServerAsync(null, bareHub: true);
        await using BenchTarget host = await BenchTarget.StartLocalAsync(stack, "sync");
        var rounds = new List<((double Rate, double P50, double P99) Bare, (double Rate, double P50, double P99) Router)>(Rounds);
        try
        {
            for (int round = 1; round <= Rounds; round++)
            {
                var bareRound = await MeasureAsync(async user =>
                {
                    HubConnection connection = stack.Connection(bare.BaseAddress, user);
                    await connection.StartAsync();
                    return connection;
                }, duration);
                var routerRound = await MeasureAsync(host.ConnectAsync, duration);
                rounds.Add((bareRound, routerRound));
                Console.WriteLine($"  round {round}: bare hub {bareRound.Rate:0} calls/s, p50 {bareRound.P50:0.##} ms; router {routerRound.Rate:0} calls/s, p50 {routerRound.P50:0.##} ms");
            }
        }
        finally
        {
            await bare.KillAsync();
        }

        double Median(IEnumerable<double> values) => BenchResults.Percentile([.. values], 50);
        double rate = Median(rounds.Select(r => r.Router.Rate / r.Bare.Rate));
        double p50 = Median(rounds.Select(r => r.Router.P50 / r.Bare.P50));
        results.Add("sync echo (bare hub)", "throughput, median of rounds", Median(rounds.Select(r => r.Bare.Rate)), "calls/s");
        results.Add("sync echo (bare hub)", "latency p50 / p99, median of rounds", Median(rounds.Select(r => r.Bare.P50)), $"ms / {Median(rounds.Select(r => r.Bare.P99)):0.##} ms");
        results.Add("sync echo (router)", "throughput, median of rounds", Median(rounds.Select(r => r.Router.Rate)), "calls/s");
        results.Add("sync echo (router)", "latency p50 / p99, median of rounds", Median(rounds.Select(r => r.Router.P50)), $"ms / {Median(rounds.Select(r => r.Router.P99)):0.##} ms");
        results.Add("sync echo", $"throughput vs bare hub, median of {Rounds} rounds", rate, "×", "≥ 0.8×", rate >= 0.8);
        results.Add("sync echo", $"p50 latency vs bare hub, median of {Rounds} rounds", p50, "×", "≤ 1.25×", p50 <= 1.25);
    }

    /// <summary>The Azure path: no bare-hub baseline exists there (the service is an emulator), so throughput and latency alone.</summary>
    public static async Task RunAsync(BenchTarget azure, BenchResults results, TimeSpan duration)
    {
        (double rate, double p50, double p99) = await MeasureAsync(azure.ConnectAsync, duration);
        results.Add($"sync echo ({azure.Name})", "throughput", rate, "calls/s");
        results.Add($"sync echo ({azure.Name})", "latency p50 / p99", p50, $"ms / {p99:0.##} ms");
    }

    private static async Task<(double Rate, double P50, double P99)> MeasureAsync(Func<string, Task<HubConnection>> connect, TimeSpan duration)
    {
        HubConnection[] connections = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => connect($"echo-{i}")));
        try
        {
            await LoopAsync(connections, TimeSpan.FromSeconds(2), null); // warm-up
            var latencies = new List<double>[Clients];
            for (int i = 0; i < Clients; i++)
            {
                latencies[i] = new List<double>(10_000);
            }

            var clock = Stopwatch.StartNew();
            await LoopAsync(connections, duration, latencies);
            double seconds = clock.Elapsed.TotalSeconds;
            List<double> all = [.. latencies.SelectMany(l => l)];
            return (all.Count / seconds, BenchResults.Percentile(all, 50), BenchResults.Percentile(all, 99));
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static Task LoopAsync(HubConnection[] connections, TimeSpan duration, List<double>[]? latencies) =>
        Task.WhenAll(connections.Select(async (connection, index) =>
        {
            var end = Stopwatch.StartNew();
            int n = 0;
            while (end.Elapsed < duration)
            {
                JsonElement request = JsonSerializer.SerializeToElement(new { requestId = $"e{index}-{n++}", action = "echo", payload = new { n } });
                long started = Stopwatch.GetTimestamp();
                await connection.InvokeAsync<JsonElement>("Submit", request);
                latencies?[index].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
}
