using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Notifications;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>Dependencies going away mid-run: storage for ~10 s, and the push path for good.</summary>
[Collection(StackCollection.Name)]
public sealed class OutageTests(LocalStackFixture stack, ITestOutputHelper output)
{
    /// <summary>The stated bound on a submit during a storage outage: 4 tries × 5 s network timeout + back-off.</summary>
    private static readonly TimeSpan SubmitBound = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task StorageDownForTenSeconds_SubmitsFailFastAsUnavailable_AcceptedJobsFinishAfterwards()
    {
        // The host reaches Azurite only through proxies the test can cut: a network outage, no data lost.
        await using var storage = new StorageOutage(stack.Azurite.ConnectionString);
        await using LocalHostInstance host = await LocalHostInstance.StartAsync(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["Durable:LeaseInterval"] = "00:00:08",
            ["Durable:LeaseRenewInterval"] = "00:00:02",
        });
        using HttpClient http = host.CreateHttpClient("outage-user");
        await using HubClient client = await host.ConnectAsync("outage-user");
        JobMessage[] accepted = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            client.SubmitAsync($"before-{i}", "simulate", new { durationMs = 6000, updates = 30, stages = 2 })));
        Assert.All(accepted, a => Assert.Equal(MessageTypes.Accepted, a.Type));

        // Mid-run, checked: every one of the 5 has pushed a handler report before storage goes.
        using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!accepted.All(a => client.Received.Any(m => m.JobId == a.JobId && m.Coalesced > 0)))
            {
                await Task.Delay(50, started.Token);
            }
        }

        storage.Cut();

        var outage = Stopwatch.StartNew();
        HttpResponseMessage health = await http.GetAsync("/api/health");
        HealthReport report = (await health.Content.ReadFromJsonAsync(ProtocolJson.Default.HealthReport))!;
        var timer = Stopwatch.StartNew();
        JobMessage during = await client.SubmitAsync("during-outage", "simulate", new { durationMs = 100 });
        timer.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HealthStatus.Red, report.Dependencies.Single(d => d.Name == "storage").Status);
        Assert.Equal(ErrorCodes.ServiceUnavailable, during.Error!.Code);
        Assert.True(during.Error.Retryable);
        Assert.True(timer.Elapsed < SubmitBound, $"the submit took {timer.Elapsed}");
        output.WriteLine($"submit during the outage answered {during.Error.Code} in {timer.ElapsedMilliseconds} ms (bound {SubmitBound.TotalSeconds} s)");

        TimeSpan rest = TimeSpan.FromSeconds(10) - outage.Elapsed;
        await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        storage.Restore();

        using var recovery = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        foreach (JobMessage job in accepted)
        {
            JobMessage[] history;
            do
            {
                await Task.Delay(250, recovery.Token);
                history = await client.ResumeAsync(job.JobId!, 0);
            }
            while (history.Length == 0 || !MessageTypes.IsTerminal(history[^1].Type));

            Assert.Equal(MessageTypes.Completed, history[^1].Type);
            Assert.Equal(Enumerable.Range(1, history.Length).Select(i => (long)i), history.Select(m => m.Seq!.Value));
        }

        output.WriteLine($"all 5 jobs completed {outage.Elapsed.TotalSeconds:0.0} s after the outage began (10 s outage)");

        // The refused submit left nothing half-created: no state row, no orchestration.
        await AssertNothingCreatedAsync(host, "outage-user", "during-outage");
        JobMessage after = await client.SubmitAsync("after-outage", "echo", new { back = true });
        Assert.True(after.Ok);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task StorageHangs_SubmitAnswersUnavailable_NothingHalfCreated_SameRequestIdAcceptedAfterwards()
    {
        // Connections are accepted and never answered: only the network timeout ends each try.
        await using var storage = new StorageOutage(stack.Azurite.ConnectionString);
        await using LocalHostInstance host = await LocalHostInstance.StartAsync(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["Storage:NetworkTimeout"] = "00:00:01",
            ["Storage:MaxRetries"] = "1",
        });
        await using HubClient client = await host.ConnectAsync("hang-user");
        JobMessage before = await client.SubmitAsync("before-hang", "simulate", new { durationMs = 100 });
        Assert.Equal(MessageTypes.Accepted, before.Type);

        storage.Hang();

        JobMessage during = await client.SubmitAsync("during-hang", "simulate", new { durationMs = 100 });

        Assert.Equal(ErrorCodes.ServiceUnavailable, during.Error?.Code);
        Assert.True(during.Error!.Retryable);
        storage.Restore();

        await AssertNothingCreatedAsync(host, "hang-user", "during-hang");
        JobMessage after = await client.SubmitAsync("during-hang", "simulate", new { durationMs = 100 });
        Assert.Equal(MessageTypes.Accepted, after.Type);
        Assert.Null(after.Duplicate);
    }

    private async Task AssertNothingCreatedAsync(LocalHostInstance host, string user, string requestId)
    {
        string jobId = Serverless.Core.Storage.JobKeys.JobId(user, requestId);
        Azure.Data.Tables.TableClient jobs = host.JobsTableClient(stack.Azurite.ConnectionString);
        await foreach (Azure.Data.Tables.TableEntity row in jobs.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == jobId))
        {
            Assert.Fail($"the refused submit left the row {row.RowKey} of job {jobId}");
        }

        Assert.Null(await host.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>().GetInstanceAsync(jobId));
    }

    [Fact]
    public async Task PushPathDead_JobStillCompletes_ResumeDeliversEverything_BreakerOpenInHealthAndMetrics()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(services: services =>
            services.AddSingleton(sp => new ResilientClientNotifier(new DeadPushPath(), TimeProvider.System)));
        using HttpClient http = host.CreateHttpClient("no-push-user");
        await using HubClient client = await host.ConnectAsync("no-push-user");

        const string pushFailures = "serverless_push_failures_total";
        double failuresBefore = PrometheusText.Value(await http.GetStringAsync("/api/metrics"), pushFailures);
        JobMessage accepted = await client.SubmitAsync("no-push", "simulate", new { durationMs = 2000, updates = 40, stages = 2 });
        JobMessage[] history;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        do
        {
            await Task.Delay(200, timeout.Token);
            history = await client.ResumeAsync(accepted.JobId!, 0);
        }
        while (history.Length == 0 || !MessageTypes.IsTerminal(history[^1].Type));

        Assert.Equal(MessageTypes.Completed, history[^1].Type);
        Assert.Equal(Enumerable.Range(1, history.Length).Select(i => (long)i), history.Select(m => m.Seq!.Value));
        Assert.Empty(client.Received);
        HealthReport report = (await (await http.GetAsync("/api/health")).Content.ReadFromJsonAsync(ProtocolJson.Default.HealthReport))!;
        DependencyHealth push = report.Dependencies.Single(d => d.Name == "push");
        Assert.Equal(HealthStatus.Red, push.Status);
        Assert.Equal("circuit open", push.Detail);
        Assert.True(PrometheusText.Value(await http.GetStringAsync("/api/metrics"), pushFailures) > failuresBefore, "no push failure was counted");
    }

    private sealed class DeadPushPath : IClientNotifier
    {
        public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken) =>
            throw new HttpRequestException("push path down");

        public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
            throw new HttpRequestException("push path down");
    }
}
