using System.Net.Http.Json;
using Azure.Data.Tables;
using Serverless.Client;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>The retention timer function, run through the Functions host's admin API as the portal's "Run" does.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class RetentionTests(AzurePathFixture fixture)
{
    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task PurgeFinishedJobs_RunByTheHost_DeletesOldFinishedJobsEverywhere_KeepsRecentOnes()
    {
        await using JobClient client = Stack.CreateClient("retention-user");
        string old = await RunToCompletionAsync(client, "old-1");
        string recent = await RunToCompletionAsync(client, "recent-1");

        // Eight days pass for the first job: the retention window (7 days by default) is measured from CompletedAt.
        var jobs = new TableClient(Stack.Azurite.ConnectionString, "jobs");
        TableEntity state = (await jobs.GetEntityAsync<TableEntity>(old, "state")).Value;
        state["CompletedAt"] = DateTimeOffset.UtcNow.AddDays(-8);
        await jobs.UpdateEntityAsync(state, state.ETag, TableUpdateMode.Merge);

        await Stack.Host.RunFunctionAsync("PurgeFinishedJobs");
        await WaitUntilAsync(async () => await RowCountAsync(jobs, old) == 0, TimeSpan.FromSeconds(30));

        Assert.Equal(0, await RowCountAsync(jobs, old));
        Assert.True(await RowCountAsync(jobs, recent) > 1, "the recent job's state and events must stay");
        IReadOnlyList<JobView> listed = await client.ListAsync();
        Assert.DoesNotContain(listed, j => j.JobId == old);
        Assert.Contains(listed, j => j.JobId == recent);
    }

    private static async Task<string> RunToCompletionAsync(JobClient client, string requestId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        JobMessage accepted = await client.SubmitAsync(new JobRequest
        {
            RequestId = requestId,
            Action = "simulate",
            Payload = System.Text.Json.JsonSerializer.SerializeToElement(new { stages = 1, durationMs = 200, updates = 2 }),
        }, timeout.Token);
        await foreach (JobMessage message in client.WatchAsync(accepted.JobId!, 0, timeout.Token))
        {
            _ = message;
        }

        return accepted.JobId!;
    }

    private static async Task<int> RowCountAsync(TableClient jobs, string jobId)
    {
        int count = 0;
        await foreach (TableEntity _ in jobs.QueryAsync<TableEntity>(e => e.PartitionKey == jobId, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(250, deadline.Token);
        }
    }
}
