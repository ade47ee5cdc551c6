using System.Net;
using System.Text.Json;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// Jobs through the Azure path with the official SignalR client: negotiate on the app → the SignalR Service emulator →
/// signed upstream → the app in the Functions host → Durable orchestration on Azurite → REST push back to the client.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class JobFlowTests(AzurePathFixture fixture)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private AzurePathStack Stack => fixture.Stack;

    private Task<HubClient> ConnectAsync(string user) => HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor(user));

    [Fact]
    public async Task Negotiate_AnswersTheServiceUrlAndAToken()
    {
        using HttpClient http = Stack.CreateHttpClient("negotiate-user");
        using HttpResponseMessage response = await http.PostAsync(new Uri("api/negotiate", UriKind.Relative), null);
        using JsonDocument reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"http://localhost:{Stack.Emulator.Port}/client/?hub=jobs", reply.RootElement.GetProperty("url").GetString());
        Assert.False(string.IsNullOrEmpty(reply.RootElement.GetProperty("accessToken").GetString()));
    }

    [Fact]
    public async Task DevelopmentToken_NotEnabled_AnswersNotFound()
    {
        using HttpClient anonymous = Stack.CreateHttpClient(user: null);
        using HttpResponseMessage response = await anonymous.PostAsync(new Uri("api/dev/token?user=mallory&role=operator", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Submit_SyncAction_AnswersTheResultAsTheInvocationsCompletion()
    {
        await using HubClient client = await ConnectAsync("sync-user");

        JobMessage reply = await client.SubmitAsync("echo-1", "echo", new { hello = "azure" });

        Assert.Equal(MessageTypes.Result, reply.Type);
        Assert.True(reply.Ok);
        Assert.Equal("azure", reply.Data!.Value.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Submit_AsyncAction_PushesBatchedProgressThenCompleted_AsPersisted()
    {
        await using HubClient client = await ConnectAsync("async-user");

        JobMessage accepted = await client.SubmitAsync("sim-1", "simulate", new { stages = 2, durationMs = 1500, updates = 30 });
        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, JobTimeout);

        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(MessageTypes.Completed, pushed[^1].Type);
        JobMessage[] progress = [.. pushed.Where(m => m.Type == MessageTypes.Progress)];
        Assert.True(progress.Length >= 2, $"expected progress pushes, got {progress.Length}");
        Assert.True(progress.Length < 60, $"60 reports in 3 s must be batched; {progress.Length} progress messages were pushed");
        Assert.Contains(progress, m => m.Coalesced > 1);
        Assert.Equal(Enumerable.Range(1, pushed.Count).Select(i => (long)i), pushed.Select(m => m.Seq!.Value));
        JobMessage[] persisted = await client.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(persisted.Select(m => (m.Type, m.Seq)), pushed.Select(m => (m.Type, m.Seq)));
    }

    [Fact]
    public async Task Resume_AfterReconnectingMidJob_DeliversTheRestWithNoGapOrDuplicate()
    {
        string jobId;
        List<JobMessage> seen;
        await using (HubClient first = await ConnectAsync("resume-user"))
        {
            jobId = (await first.SubmitAsync("resume-1", "simulate", new { stages = 3, durationMs = 1500, updates = 15 })).JobId!;
            seen = [.. await first.WaitForAsync(jobId, m => m.Type == MessageTypes.Progress && m.Seq >= 2, JobTimeout)];
        }

        long lastSeen = seen.Max(m => m.Seq!.Value);
        await using HubClient second = await ConnectAsync("resume-user");
        await Task.Delay(1500);
        JobMessage[] replayed = await second.ResumeAsync(jobId, lastSeen);
        IReadOnlyList<JobMessage> live = replayed.Any(m => MessageTypes.IsTerminal(m.Type))
            ? []
            : await second.WaitForTerminalAsync(jobId, JobTimeout);

        Assert.NotEmpty(replayed);
        long[] delivered = [.. seen.Select(m => m.Seq!.Value).Order(), .. replayed.Concat(live).Select(m => m.Seq!.Value).Distinct().Order()];
        Assert.Equal(Enumerable.Range(1, delivered.Length).Select(i => (long)i), delivered);
        Assert.Equal(MessageTypes.Completed, replayed.Concat(live).Last(m => MessageTypes.IsTerminal(m.Type)).Type);
    }

    [Fact]
    public async Task Cancel_RunningJob_EndsCancelledWithOneTerminalMessage()
    {
        await using HubClient client = await ConnectAsync("cancel-user");
        string jobId = (await client.SubmitAsync("cancel-1", "simulate", new { stages = 1, durationMs = 60000, updates = 120 })).JobId!;
        await client.WaitForAsync(jobId, m => m.Type == MessageTypes.Progress, JobTimeout);

        JobMessage reply = await client.CancelAsync(jobId);
        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(jobId, JobTimeout);

        Assert.NotEqual(MessageTypes.Error, reply.Type);
        Assert.Equal(MessageTypes.Cancelled, pushed[^1].Type);
        Assert.Single(pushed, m => MessageTypes.IsTerminal(m.Type));
    }

    [Fact]
    public async Task ForeignJob_AnswersLikeAnUnknownJob_OverTheHubAndHttp()
    {
        await using HubClient owner = await ConnectAsync("owner-user");
        string jobId = (await owner.SubmitAsync("foreign-1", "simulate", new { stages = 1, durationMs = 200, updates = 2 })).JobId!;
        await using HubClient stranger = await ConnectAsync("stranger-user");
        string unknown = new('a', jobId.Length);

        JobMessage[] foreignResume = await stranger.ResumeAsync(jobId, 0);
        JobMessage[] unknownResume = await stranger.ResumeAsync(unknown, 0);
        JobMessage foreignCancel = await stranger.CancelAsync(jobId);
        using HttpClient http = Stack.CreateHttpClient("stranger-user");
        using HttpResponseMessage foreignGet = await http.GetAsync(new Uri($"api/jobs/{jobId}", UriKind.Relative));
        using HttpResponseMessage unknownGet = await http.GetAsync(new Uri($"api/jobs/{unknown}", UriKind.Relative));

        Assert.Equal(ErrorCodes.NotFound, Assert.Single(foreignResume).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, Assert.Single(unknownResume).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, foreignCancel.Error!.Code);
        Assert.Equal(HttpStatusCode.NotFound, foreignGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownGet.StatusCode);
        Assert.Empty(stranger.Received);
        await owner.WaitForTerminalAsync(jobId, JobTimeout);
    }
}
