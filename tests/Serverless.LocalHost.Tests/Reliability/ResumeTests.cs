using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class ResumeTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Resume_OnNewConnectionAfterDisconnectMidJob_DeliversEveryMessageOnceWithNoGap()
    {
        HubClient first = await stack.Host.ConnectAsync("resume-user");
        JobMessage accepted = await first.SubmitAsync("resume-1", "simulate", new { durationMs = 3000, updates = 60, stages = 3 });
        string jobId = accepted.JobId!;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (first.Received.Count(m => m.JobId == jobId) < 3)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        JobMessage[] seenBefore = [.. first.Received.Where(m => m.JobId == jobId)];
        await first.DisposeAsync();
        long lastSeen = seenBefore.Max(m => m.Seq!.Value);

        // Wait until messages were persisted while no connection was there to receive them: the gap to resume.
        using (HttpClient http = stack.Host.CreateHttpClient("resume-user"))
        using (var gap = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((await http.GetFromJsonAsync($"/api/jobs/{jobId}", ProtocolJson.Default.JobView, gap.Token))!.LastSeq <= lastSeen + 1)
            {
                await Task.Delay(50, gap.Token);
            }
        }

        await using HubClient second = await stack.Host.ConnectAsync("resume-user");
        JobMessage[] replay = await second.ResumeAsync(jobId, lastSeen);
        IReadOnlyList<JobMessage> live = await second.WaitForTerminalAsync(jobId, TimeSpan.FromSeconds(60));

        Assert.NotEmpty(replay);
        Assert.Equal(lastSeen + 1, replay[0].Seq);

        // What the client ends up with: before + replay + live pushes newer than the replay.
        long replayed = replay.Length == 0 ? lastSeen : replay[^1].Seq!.Value;
        JobMessage[] assembled = [.. seenBefore, .. replay, .. live.Where(m => m.Seq > replayed)];
        long[] seqs = [.. assembled.Select(m => m.Seq!.Value)];
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        Assert.All(replay, m => Assert.True(m.Seq > lastSeen));

        JobMessage[] history = await second.ResumeAsync(jobId, 0);
        Assert.Equal(history.Select(m => (m.Seq, m.Type, m.Percent)), assembled.Select(m => (m.Seq, m.Type, m.Percent)));
        Assert.Equal(MessageTypes.Completed, history[^1].Type);
    }

    [Fact]
    public async Task Resume_AfterJobEnded_ReturnsTheRestIncludingTheTerminalMessage()
    {
        await using HubClient client = await stack.Host.ConnectAsync("resume-late-user");
        JobMessage accepted = await client.SubmitAsync("resume-2", "simulate", new { durationMs = 200, updates = 4 });
        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(30));

        JobMessage[] tail = await client.ResumeAsync(accepted.JobId!, 1);

        Assert.Equal(pushed.Skip(1).Select(m => m.Seq), tail.Select(m => m.Seq));
        Assert.Equal(MessageTypes.Completed, tail[^1].Type);
    }

    [Fact]
    public async Task Resume_WithNegativeOrWrongTypedSeq_AnswersValidationError()
    {
        await using HubClient client = await stack.Host.ConnectAsync("resume-bad-user");

        JobMessage[] negative = await client.ResumeAsync("j0000000000000000000000000000000", -1);
        JobMessage[] wrongType = await client.Connection.InvokeAsync<JobMessage[]>("Resume", 42, "x");

        Assert.Equal(ErrorCodes.ValidationError, Assert.Single(negative).Error!.Code);
        Assert.Equal(ErrorCodes.ValidationError, Assert.Single(wrongType).Error!.Code);
    }
}
