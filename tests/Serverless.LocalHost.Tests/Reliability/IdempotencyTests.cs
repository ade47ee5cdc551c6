using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class IdempotencyTests(LocalStackFixture stack)
{
    private const int Copies = 100;

    [Fact]
    public async Task Submit_HundredCopiesOverHundredConnectionsAtOnce_StartOneJobOneOrchestrationOneRun()
    {
        await using LocalHostInstance host = await stack.StartHostAsync();
        await using HubClient watcher = await host.ConnectAsync("idem-user");

        // One HTTP connection per copy, all opened first, then released together: 100 submits really in flight.
        HttpClient[] clients = [.. Enumerable.Range(0, Copies).Select(_ => host.CreateHttpClient("idem-user"))];
        try
        {
            await Task.WhenAll(clients.Select(c => c.GetAsync("/api/health")));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<HttpResponseMessage>[] posts = [.. clients.Select(async c =>
            {
                await go.Task;
                return await c.PostAsJsonAsync("/api/jobs", new { requestId = "same-request", action = "simulate", payload = new { durationMs = 500, updates = 5 } });
            })];
            go.SetResult();
            HttpResponseMessage[] responses = await Task.WhenAll(posts);
            JobMessage[] replies = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
            Assert.All(replies, r => Assert.Equal(MessageTypes.Accepted, r.Type));
            string jobId = Assert.Single(replies.Select(r => r.JobId).Distinct())!;
            Assert.Single(replies, r => r.Duplicate is null);
            Assert.Equal(Copies - 1, replies.Count(r => r.Duplicate == true));

            IReadOnlyList<JobMessage> messages = await watcher.WaitForTerminalAsync(jobId, TimeSpan.FromSeconds(60));
            List<TableEntity> rows = [];
            await foreach (TableEntity row in host.JobsTableClient(stack.Azurite.ConnectionString).QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }

            // One job in the whole table, one orchestration in the task hub, one run: one stage start, one terminal event.
            Assert.All(rows, r => Assert.Equal(jobId, r.PartitionKey));
            Assert.Single(rows, r => r.GetString("Type") is MessageTypes.Completed or MessageTypes.Failed or MessageTypes.Cancelled);
            Assert.Single(messages, m => m.Message == "step-1 started");
            List<string> instances = [];
            await foreach (OrchestrationMetadata instance in host.Services.GetRequiredService<DurableTaskClient>().GetAllInstancesAsync())
            {
                instances.Add(instance.InstanceId);
            }

            Assert.Equal(jobId, Assert.Single(instances));
        }
        finally
        {
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
    }
}
