using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>The same (user, requestId) never starts two jobs on the Azure path, however many copies arrive at once.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class IdempotencyTests(AzurePathFixture fixture)
{
    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task HundredConcurrentDuplicates_OverHttpAndTheHub_StartOneJobAndOneOrchestration()
    {
        TableClient instances = new(Stack.Azurite.ConnectionString, Stack.TaskHub + "Instances");
        int instancesBefore = await CountAsync(instances);
        object request = new { requestId = "dup-1", action = "simulate", payload = new { stages = 1, durationMs = 500, updates = 2 } };
        using HttpClient http = Stack.CreateHttpClient("dup-user");
        HubClient[] hubs = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("dup-user"))));
        using var start = new ManualResetEventSlim();

        // 50 over HTTP and 50 over the hub (5 per connection), all released together.
        Task<string>[] overHttp = [.. Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using HttpResponseMessage response = await http.PostAsJsonAsync(new Uri("api/jobs", UriKind.Relative), request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
        }))];
        Task<string>[] overHub = [.. hubs.SelectMany(hub => Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            JobMessage reply = await hub.SubmitAsync("dup-1", "simulate", new { stages = 1, durationMs = 500, updates = 2 });
            Assert.Equal(MessageTypes.Accepted, reply.Type);
            return reply.JobId!;
        })))];
        start.Set();
        string[] jobIds = await Task.WhenAll(overHttp.Concat(overHub));

        string jobId = Assert.Single(jobIds.Distinct());
        Assert.Equal(100, jobIds.Length);
        Assert.Equal(instancesBefore + 1, await CountAsync(instances));
        IReadOnlyList<JobMessage> pushed = await hubs[0].WaitForTerminalAsync(jobId, TimeSpan.FromSeconds(90));
        Assert.Single(pushed, m => MessageTypes.IsTerminal(m.Type));
        foreach (HubClient hub in hubs)
        {
            await hub.DisposeAsync();
        }
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        int count = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
