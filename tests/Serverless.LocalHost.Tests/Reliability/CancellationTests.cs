using System.Net;
using System.Net.Http.Json;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class CancellationTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Cancel_RunningJobOverHub_StopsAtNextReportWithOneCancelledMessage()
    {
        await using HubClient client = await stack.Host.ConnectAsync("cancel-user");
        JobMessage accepted = await client.SubmitAsync("long-1", "simulate", new { durationMs = 60_000, updates = 600, stages = 2 });
        await WaitForProgressAsync(client, accepted.JobId!);

        JobMessage answer = await client.CancelAsync(accepted.JobId!);
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(20));

        Assert.Equal(MessageTypes.Status, answer.Type);
        JobMessage terminal = Assert.Single(messages, m => MessageTypes.IsTerminal(m.Type));
        Assert.Equal(MessageTypes.Cancelled, terminal.Type);
        Assert.Equal(ErrorCodes.Cancelled, terminal.Error!.Code);
        Assert.DoesNotContain(messages, m => m.Stage == "step-2");
        JobMessage[] history = await client.ResumeAsync(accepted.JobId!, 0);
        Assert.Single(history, m => MessageTypes.IsTerminal(m.Type));
    }

    [Fact]
    public async Task Cancel_OverHttpOnceTheJobReportsProgress_Answers202ThenJobEndsCancelled()
    {
        using HttpClient http = stack.Host.CreateHttpClient("cancel-http-user");
        HttpResponseMessage created = await http.PostAsJsonAsync("/api/jobs", new { requestId = "long-http", action = "simulate", payload = new { durationMs = 60_000, updates = 600 } });
        string location = created.Headers.Location!.OriginalString;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JobView view;
        do
        {
            await Task.Delay(100, timeout.Token);
            view = (await http.GetFromJsonAsync(location, ProtocolJson.Default.JobView, timeout.Token))!;
        }
        while (!(view.Status == JobStatus.Running && view.Percent > 0));

        HttpResponseMessage cancel = await http.PostAsync(location + "/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        do
        {
            await Task.Delay(100, timeout.Token);
            view = (await http.GetFromJsonAsync(location, ProtocolJson.Default.JobView, timeout.Token))!;
        }
        while (!JobStatus.IsTerminal(view.Status));

        Assert.Equal(JobStatus.Cancelled, view.Status);
        Assert.True(view.Percent < 100, $"the job reached {view.Percent} %");
    }

    [Fact]
    public async Task Cancel_FinishedJob_IsANoOpThatSaysSo()
    {
        await using HubClient client = await stack.Host.ConnectAsync("cancel-done-user");
        JobMessage accepted = await client.SubmitAsync("short-1", "simulate", new { durationMs = 50, updates = 2 });
        await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(30));

        JobMessage answer = await client.CancelAsync(accepted.JobId!);

        Assert.Equal(MessageTypes.Status, answer.Type);
        Assert.Equal(JobStatus.Completed, answer.Status);
        Assert.Contains("already ended", answer.Message, StringComparison.Ordinal);
        JobMessage[] history = await client.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(MessageTypes.Completed, history[^1].Type);
    }

    private static async Task WaitForProgressAsync(HubClient client, string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!client.Received.Any(m => m.JobId == jobId && m.Coalesced > 0))
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
