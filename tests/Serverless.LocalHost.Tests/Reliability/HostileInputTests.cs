using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.Http;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>Over a thousand generated malformed or hostile messages (<see cref="HostileCorpus"/>): each gets a typed error, nothing is written, the host stays up.</summary>
[Collection(StackCollection.Name)]
public sealed class HostileInputTests(LocalStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task HostileMessages_EachGetItsExactErrorCodeAndHttpStatus_NoRowBlobOrOrchestrationIsWritten_HostStaysUp()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecond"] = "100000",
            ["Limits:Burst"] = "100000",
            ["Limits:ReadsPerSecond"] = "100000",
            ["Limits:ReadBurst"] = "100000",
        });
        await using HubClient hub = await host.ConnectAsync("hostile-user");
        using HttpClient http = host.CreateHttpClient("hostile-user");
        var random = new Random(20261125);
        var replies = new HostileReplies();
        void Expect(JobMessage reply, string expected, string what) => replies.Expect(reply, expected, what);

        foreach ((string request, string expected) in HostileCorpus.Requests(random))
        {
            using JsonDocument document = JsonDocument.Parse(request, new JsonDocumentOptions { MaxDepth = 1000 });
            Expect(await hub.Connection.InvokeAsync<JobMessage>("Submit", document.RootElement), expected, "hub " + HostileCorpus.Shorten(request));
            Expect(await PostAsync(http, Encoding.UTF8.GetBytes(request), expected), expected, "http " + HostileCorpus.Shorten(request));
        }

        foreach (byte[] body in HostileCorpus.BrokenJsonBodies(random))
        {
            Expect(await PostAsync(http, body, ErrorCodes.ValidationError), ErrorCodes.ValidationError, "http raw body");
        }

        foreach (object candidate in HostileCorpus.JobIds(random))
        {
            (object jobId, string expected) = HostileCorpus.Expectation(candidate);
            Expect(await hub.Connection.InvokeAsync<JobMessage>("Cancel", jobId), expected, $"cancel {jobId}");
            Expect(Assert.Single(await hub.Connection.InvokeAsync<JobMessage[]>("Resume", jobId, 0)), expected, $"resume {jobId}");
            if (jobId is string text && text.Length > 0)
            {
                HttpResponseMessage get = await http.GetAsync("/api/jobs/" + Uri.EscapeDataString(text));
                Assert.Equal(JobApi.StatusCodeOf(expected), (int)get.StatusCode);
                Expect((await get.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!, expected, "get " + text);
            }
        }

        // Deeper than the transport parses: SignalR drops that one connection; the host and others carry on.
        await using (HubClient victim = await host.ConnectAsync("hostile-user"))
        {
            string abyss = new string('[', 500) + new string(']', 500);
            using JsonDocument deep = JsonDocument.Parse($"{{\"requestId\":\"deep\",\"action\":\"echo\",\"payload\":{abyss}}}", new JsonDocumentOptions { MaxDepth = 1000 });
            HubException dropped = await Assert.ThrowsAsync<HubException>(() => victim.Connection.InvokeAsync<JobMessage>("Submit", deep.RootElement));
            Assert.Contains("server closed the connection", dropped.Message, StringComparison.Ordinal);
        }

        Assert.True(replies.Sent >= 1000, $"only {replies.Sent} hostile messages were sent");
        output.WriteLine(replies.Summary());
        Assert.Contains(ErrorCodes.ValidationError, replies.Codes);
        Assert.Contains(ErrorCodes.UnknownAction, replies.Codes);
        Assert.Contains(ErrorCodes.PayloadTooLarge, replies.Codes);
        Assert.Contains(ErrorCodes.NotFound, replies.Codes);

        // Not one row, blob or orchestration was created by any of it: jobs, index, outbox, route statistics.
        foreach (string name in new[] { host.JobsTable, host.IndexTable, host.OutboxTable, host.RouteStatisticsTable })
        {
            foreach (TableEntity row in await TableRows.ReadIfExistsAsync(new TableClient(stack.Azurite.ConnectionString, name)))
            {
                if (row.PartitionKey == "~meta")
                {
                    continue; // the outbox's own watermarks and lease, written whatever the traffic
                }

                Assert.Fail($"A hostile message created the row {row.PartitionKey}/{row.RowKey} in {name}.");
            }
        }

        var blobs = new Azure.Storage.Blobs.BlobContainerClient(stack.Azurite.ConnectionString, host.LargeValueContainer);
        if (await blobs.ExistsAsync())
        {
            await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
            {
                Assert.Fail($"A hostile message created the blob {blob.Name}.");
            }
        }

        // Still up and working.
        JobMessage echo = await hub.SubmitAsync("after-storm", "echo", new { ok = true });
        Assert.True(echo.Ok);

        DurableTaskClient durable = host.Services.GetRequiredService<DurableTaskClient>();
        await foreach (OrchestrationMetadata instance in durable.GetAllInstancesAsync())
        {
            Assert.Fail($"A hostile message started the orchestration {instance.InstanceId}.");
        }
    }

    private static async Task<JobMessage> PostAsync(HttpClient http, byte[] body, string expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        HttpResponseMessage response = await http.PostAsync("/api/jobs", content);
        Assert.Equal(JobApi.StatusCodeOf(expected), (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
    }
}
