using Azure.Data.Tables;
using Serverless.Core.Protocol;
using Serverless.LocalHost.Tests.Infrastructure;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class IdempotencyTests(StackFixture stack)
{
    [Fact]
    public async Task Submit_HundredConcurrentCopiesOverFourConnections_StartExactlyOneJob()
    {
        JobClient[] clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => stack.Host.ConnectAsync("idem-user")));
        try
        {
            JobMessage[] replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
                clients[i % clients.Length].SubmitAsync("same-request", "simulate", new { durationMs = 500, updates = 5 })));

            Assert.All(replies, r => Assert.Equal(MessageTypes.Accepted, r.Type));
            string jobId = Assert.Single(replies.Select(r => r.JobId).Distinct())!;
            Assert.Single(replies, r => r.Duplicate is null);
            Assert.Equal(99, replies.Count(r => r.Duplicate == true));

            IReadOnlyList<JobMessage> messages = await clients[0].WaitForTerminalAsync(jobId, TimeSpan.FromSeconds(60));
            TableClient table = stack.Host.JobsTableClient(stack.Azurite.ConnectionString);
            List<TableEntity> rows = [];
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == jobId))
            {
                rows.Add(row);
            }

            // One run: one stage start at attempt 1, one terminal event, one state row.
            Assert.Single(rows, r => r.RowKey == "state");
            Assert.Single(rows, r => r.GetString("Type") is MessageTypes.Completed or MessageTypes.Failed or MessageTypes.Cancelled);
            Assert.Single(messages, m => m.Message == "step-1 started");
        }
        finally
        {
            foreach (JobClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
