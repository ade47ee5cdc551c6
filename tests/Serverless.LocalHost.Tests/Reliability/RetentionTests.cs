using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Retention;
using Serverless.Core.Storage;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>
/// The retention purge (what the Functions app's hourly timer runs) over jobs a real local host ran: Azurite
/// tables and blobs, and the Durable task hub's instances.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RetentionTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Purge_DeletesOldFinishedJobsWithEventsIndexBlobsAndInstances_KeepsRunningAndRecent_HonoursMaxJobsPerRun()
    {
        await using LocalHostInstance host = await stack.StartHostAsync();
        await using HubClient client = await host.ConnectAsync("retention-user");
        IJobStore store = host.Services.GetRequiredService<IJobStore>();
        DurableTaskClient durable = host.Services.GetRequiredService<DurableTaskClient>();

        string[] old = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => RunToEndAsync(client, $"old-{i}")));

        // One old job holds an event too large for a Table property: it lives in a blob.
        JobRecord withBlob = (await store.GetAsync(old[0], CancellationToken.None))!;
        await store.AppendAsync(
            new JobUpdate { JobId = withBlob.JobId, LastSeq = withBlob.LastSeq + 1, UpdatedAt = withBlob.UpdatedAt },
            [new JobMessage { Type = MessageTypes.Progress, JobId = withBlob.JobId, Seq = withBlob.LastSeq + 1, Message = new string('b', 40_000) }],
            CancellationToken.None);
        BlobContainerClient blobs = new(stack.Azurite.ConnectionString, host.LargeValueContainer);
        Assert.NotEmpty(await BlobsOfAsync(blobs, old[0]));

        DateTimeOffset cutoff = DateTimeOffset.UtcNow;
        JobMessage running = await client.SubmitAsync("running", "simulate", new { durationMs = 60_000, updates = 60 });
        string recent = await RunToEndAsync(client, "recent");

        var options = new RetentionOptions { FinishedJobAge = TimeSpan.FromHours(1), MaxJobsPerRun = 2 };
        var retention = new JobRetention(store, options, new FixedTime(cutoff + options.FinishedJobAge), NullLogger<JobRetention>.Instance);

        RetentionResult first = await retention.PurgeAsync(durable, CancellationToken.None);
        RetentionResult second = await retention.PurgeAsync(durable, CancellationToken.None);
        RetentionResult third = await retention.PurgeAsync(durable, CancellationToken.None);

        Assert.Equal(2, first.Jobs);
        Assert.Equal(1, second.Jobs);
        Assert.Equal(0, third.Jobs);
        Assert.Equal(3, first.OrchestrationInstances + second.OrchestrationInstances + third.OrchestrationInstances);

        TableClient jobs = host.JobsTableClient(stack.Azurite.ConnectionString);
        TableClient index = new(stack.Azurite.ConnectionString, host.IndexTable);
        List<TableEntity> indexRows = await RowsAsync(index, null);
        foreach (string jobId in old)
        {
            Assert.Empty(await RowsAsync(jobs, jobId));
            Assert.DoesNotContain(indexRows, row => row.GetString("JobId") == jobId);
            Assert.Empty(await BlobsOfAsync(blobs, jobId));
            Assert.Null(await durable.GetInstanceAsync(jobId));
        }

        foreach (string jobId in new[] { running.JobId!, recent })
        {
            Assert.Contains(await RowsAsync(jobs, jobId), row => row.RowKey == JobKeys.StateRowKey);
            Assert.Contains(indexRows, row => row.GetString("JobId") == jobId);
            Assert.NotNull(await durable.GetInstanceAsync(jobId));
        }

        Assert.Equal(JobStatus.Running, (await store.GetAsync(running.JobId!, CancellationToken.None))!.Status);
        await client.CancelAsync(running.JobId!);
    }

    [Fact]
    public async Task LocalHost_PurgesOnItsOwnSchedule()
    {
        // The host's own schedule runs the purge; its clock is two hours on, so a job that just ended is past a
        // one-hour retention window. Registered before the host's own registration, which then keeps this one.
        var options = new RetentionOptions { FinishedJobAge = TimeSpan.FromHours(1) };
        await using LocalHostInstance host = await stack.StartHostAsync(
            new Dictionary<string, string?> { ["Retention:Interval"] = "00:00:01" },
            services => services.AddSingleton(sp => new JobRetention(
                sp.GetRequiredService<IJobStore>(), options, new FixedTime(DateTimeOffset.UtcNow.AddHours(2)), NullLogger<JobRetention>.Instance)));
        await using HubClient client = await host.ConnectAsync("scheduled-retention-user");
        IJobStore store = host.Services.GetRequiredService<IJobStore>();
        DurableTaskClient durable = host.Services.GetRequiredService<DurableTaskClient>();

        string ended = await RunToEndAsync(client, "ended");

        // The job's rows go first, then its orchestration instance, in the same run.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await store.GetAsync(ended, CancellationToken.None) is not null || await durable.GetInstanceAsync(ended) is not null)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    private static async Task<string> RunToEndAsync(HubClient client, string requestId)
    {
        JobMessage accepted = await client.SubmitAsync(requestId, "simulate", new { durationMs = 200, updates = 2 });
        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));
        Assert.Equal(MessageTypes.Completed, messages[^1].Type);
        return accepted.JobId!;
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table, string? partition)
    {
        var rows = new List<TableEntity>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(partition is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<string>> BlobsOfAsync(BlobContainerClient blobs, string jobId)
    {
        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, jobId + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
