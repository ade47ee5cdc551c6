using System.Text.Json;
using Azure.Data.Tables;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>Jobs end to end over a real SignalR connection, on the real Durable backend on Azurite.</summary>
[Collection(StackCollection.Name)]
public sealed class JobFlowTests(LocalStackFixture stack)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Submit_Echo_ReturnsSyncResult()
    {
        await using HubClient client = await stack.Host.ConnectAsync("echo-user");

        JobMessage reply = await client.SubmitAsync("echo-1", "echo", new { hello = "world", n = 3 });

        Assert.Equal(MessageTypes.Result, reply.Type);
        Assert.Equal(JobMode.Sync, reply.Mode);
        Assert.True(reply.Ok);
        Assert.Equal("echo-1", reply.RequestId);
        Assert.Equal("world", reply.Data!.Value.GetProperty("hello").GetString());
        Assert.Equal(3, reply.Data!.Value.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Submit_GenerateReport_StreamsProgressThenCompletesWithTheReport()
    {
        await using HubClient client = await stack.Host.ConnectAsync("report-user");

        JobMessage accepted = await client.SubmitAsync("report-1", "generate_report", new { title = "Q <1>", months = 6, paceMs = 30 });
        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(JobMode.Async, accepted.Mode);
        Assert.NotNull(accepted.JobId);

        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, JobTimeout);

        long[] seqs = [.. messages.Select(m => m.Seq!.Value)];
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Length, seqs.Distinct().Count());
        Assert.Equal(1, seqs[0]);
        Assert.Equal(["collect", "analyze", "render", "publish"], messages.Where(m => m.Stage is not null).Select(m => m.Stage!).Distinct());
        JobMessage completed = Assert.Single(messages, m => MessageTypes.IsTerminal(m.Type));
        Assert.Equal(MessageTypes.Completed, completed.Type);
        Assert.Equal(messages[^1], completed);
        JsonElement report = completed.Result!.Value;
        Assert.Equal("Q <1>", report.GetProperty("title").GetString());
        Assert.Equal(6 * 4 * 3, report.GetProperty("rows").GetInt32());
        Assert.StartsWith("month,units,revenue\n", report.GetProperty("csv").GetString(), StringComparison.Ordinal);
        Assert.Contains("<h1>Q &lt;1&gt;</h1>", report.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_GenerateReport_TableRowsHoldTheSameEventsAsThoseSent()
    {
        await using HubClient client = await stack.Host.ConnectAsync("table-user");
        JobMessage accepted = await client.SubmitAsync("report-table", "generate_report", new { months = 3, paceMs = 10 });
        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, JobTimeout);

        TableClient table = stack.Host.JobsTableClient(stack.Azurite.ConnectionString);
        List<TableEntity> rows = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == accepted.JobId))
        {
            rows.Add(row);
        }

        TableEntity state = Assert.Single(rows, r => r.RowKey == "state");
        Assert.Equal(JobStatus.Completed, state.GetString("Status"));
        Assert.Equal(pushed[^1].Seq, state.GetInt64("LastSeq"));
        JobMessage[] stored = [.. rows.Where(r => r.RowKey.StartsWith('e'))
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .Select(r => JsonSerializer.Deserialize(r.GetString("Message"), ProtocolJson.Default.JobMessage)!)];
        Assert.Equal(pushed.Select(m => (m.Seq, m.Type, m.Percent, m.Stage)), stored.Select(m => (m.Seq, m.Type, m.Percent, m.Stage)));
    }

    [Fact]
    public async Task Submit_SimulateWithThousandUpdates_CoalescesIntoFewMessagesAndEndsAtHundred()
    {
        await using HubClient client = await stack.Host.ConnectAsync("burst-user");
        using HttpClient http = stack.Host.CreateHttpClient(null);
        const string finished = "serverless_jobs_finished_total{action=\"simulate\",status=\"completed\"}";
        double finishedBefore = PrometheusText.Value(await http.GetStringAsync("/api/metrics"), finished);

        JobMessage accepted = await client.SubmitAsync("burst-1", "simulate", new { durationMs = 2000, updates = 1000 });
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, JobTimeout);

        JobMessage[] progress = [.. messages.Where(m => m.Type == MessageTypes.Progress)];
        Assert.True(progress.Length is >= 2 and <= 15, string.Join("\n", progress.Select(m => $"{m.Seq} {m.At:HH:mm:ss.fff} {m.Percent} {m.Coalesced} {m.Message}")));
        Assert.Equal(1000, progress.Sum(m => m.Coalesced ?? 0));
        Assert.Equal(100, progress[^1].Percent);
        Assert.Equal(MessageTypes.Completed, messages[^1].Type);
        Assert.Equal(100, messages[^1].Percent);

        // The finish is counted: the completed-simulate series moved (this assembly's tests run one at a time).
        Assert.True(PrometheusText.Value(await http.GetStringAsync("/api/metrics"), finished) >= finishedBefore + 1, "the finished job was not counted");
    }

    [Fact]
    public async Task Connect_WithoutValidToken_IsRefused()
    {
        HttpRequestException refused = await Assert.ThrowsAsync<HttpRequestException>(() => stack.Host.ConnectAsync("nobody", token: "not-a-token"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
