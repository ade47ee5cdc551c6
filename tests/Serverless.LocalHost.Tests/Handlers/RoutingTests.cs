using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Core;
using Serverless.Core.Handlers;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Handlers;

[Collection(StackCollection.Name)]
public sealed class RoutingTests(LocalStackFixture stack)
{
    [Fact]
    public async Task ObservedP95_RoutesADeclaredShortActionAsync_AndBackToSyncWhenItTurnsQuick()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(
            new Dictionary<string, string?>
            {
                ["Router:SyncThreshold"] = "00:00:01",
                ["Router:SyncTimeout"] = "00:00:05",
                ["Router:MinimumSamples"] = "3",
                ["Router:DurationWindow"] = "3",
                ["Router:ReturnToSyncFactor"] = "0.8",
                ["Router:StatisticsSyncInterval"] = "00:00:00.200",
            },
            services => services.AddJobHandler<SleepHandler>());
        await using HubClient client = await host.ConnectAsync("routing-user");

        JobMessage[] slow = [.. await Sequential(3, i => client.SubmitAsync($"slow-{i}", "sleep", new { ms = 1300 }))];
        JobMessage routedAsync = await client.SubmitAsync("fast-0", "sleep", new { ms = 10 });

        Assert.All(slow, r => Assert.Equal(JobMode.Sync, r.Mode));
        Assert.StartsWith("declared estimate 0.01 s is within", slow[0].Route, StringComparison.Ordinal);
        Assert.Equal(MessageTypes.Accepted, routedAsync.Type);
        // About 1.3 s: a 1,300 ms delay may measure a millisecond short.
        Assert.Matches(@"^observed p95 1\.[2-9]\d* s exceeds the 1 s threshold$", routedAsync.Route);

        // Quick async runs replace the slow samples; below 0.8 s the action returns to sync.
        await client.WaitForTerminalAsync(routedAsync.JobId!, TimeSpan.FromSeconds(30));
        for (int i = 1; i <= 3; i++)
        {
            JobMessage quick = await client.SubmitAsync($"fast-{i}", "sleep", new { ms = 10 });
            if (quick.Mode == JobMode.Sync)
            {
                break;
            }

            await client.WaitForTerminalAsync(quick.JobId!, TimeSpan.FromSeconds(30));
        }

        JobMessage back = await client.SubmitAsync("fast-last", "sleep", new { ms = 10 });
        Assert.Equal(JobMode.Sync, back.Mode);
        Assert.StartsWith("observed p95", back.Route, StringComparison.Ordinal);

        // Shared through this host's own Table, and counted in metrics: the merged window ends with the quick runs.
        var table = new TableClient(stack.Azurite.ConnectionString, host.RouteStatisticsTable);
        string? samples = null;
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (samples is null || samples.Split(',').Any(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) >= 1))
            {
                Assert.False(wait.IsCancellationRequested, $"the shared window never held only quick runs; last seen: '{samples}'");
                await Task.Delay(100, CancellationToken.None);
                NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>("durations", "sleep");
                samples = row.HasValue ? row.Value!.GetString("Samples") : null;
            }
        }

        Assert.Equal(3, samples.Split(',').Length);
        using HttpClient http = host.CreateHttpClient(null);
        string metrics = await http.GetStringAsync("/api/metrics");
        Assert.Contains("serverless_routing_decisions_total{action=\"sleep\",basis=\"observed\",mode=\"async\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderLoad_HighPriorityJobStartsBeforeWaitingLowPriorityOnes()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?> { ["Jobs:MaxConcurrentStages"] = "1" });
        await using HubClient client = await host.ConnectAsync("priority-user");
        object work = new { durationMs = 700, updates = 2 };

        JobMessage[] lows = [.. await Sequential(4, i => client.SubmitAsync($"low-{i}", "simulate", work, priority: "low"))];

        // The first low job's stage holds the only slot: the other lows now wait at the gate with the high one.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!client.Received.Any(m => m.JobId == lows[0].JobId && m.Type == MessageTypes.Progress))
            {
                await Task.Delay(20, wait.Token);
            }
        }
        JobMessage high = await client.SubmitAsync("high-0", "simulate", work, priority: "high");

        var started = new Dictionary<string, DateTimeOffset>();
        foreach (JobMessage job in lows.Append(high))
        {
            IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(job.JobId!, TimeSpan.FromSeconds(60));
            started[job.JobId!] = messages.First(m => m.Metadata is not null).At!.Value;
        }

        int lowsStartedBeforeHigh = lows.Count(l => started[l.JobId!] < started[high.JobId!]);
        Assert.True(lowsStartedBeforeHigh <= 2, $"{lowsStartedBeforeHigh} of 4 earlier low-priority jobs started before the high-priority one");
    }

    private static async Task<List<JobMessage>> Sequential(int count, Func<int, Task<JobMessage>> submit)
    {
        var replies = new List<JobMessage>();
        for (int i = 0; i < count; i++)
        {
            replies.Add(await submit(i));
        }

        return replies;
    }

    /// <summary>Declares itself quick (10 ms) but sleeps as long as asked: what adaptive routing is for.</summary>
    private sealed class SleepHandler : IJobHandler
    {
        private static readonly string[] Stages = ["sleep"];

        public string Action => "sleep";

        public TimeSpan EstimatedDuration => TimeSpan.FromMilliseconds(10);

        public IReadOnlyList<string> GetStages(JsonElement payload) => Stages;

        public void ValidatePayload(JsonElement payload) => PayloadReader.GetInt32(payload, "ms", 0, 0, 60_000);

        public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(PayloadReader.GetInt32(context.Payload, "ms", 0, 0, 60_000), cancellationToken);
            return null;
        }
    }
}
