using System.Text.Json;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class LimitsTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Submit_PayloadOverTheCap_AnswersPayloadTooLargeWithTheSize()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?> { ["Router:MaxPayloadBytes"] = "1000" });
        await using HubClient client = await host.ConnectAsync("big-user");

        JobMessage reply = await client.SubmitAsync("big-1", "echo", new { blob = new string('x', 2000) });
        JobMessage fits = await client.SubmitAsync("big-2", "echo", new { blob = new string('x', 500) });

        Assert.Equal(ErrorCodes.PayloadTooLarge, reply.Error!.Code);
        Assert.Contains("limit is 1000", reply.Error.Message, StringComparison.Ordinal);
        Assert.True(fits.Ok);
    }

    [Fact]
    public async Task Submit_FasterThanTheRate_AnswersRateLimitedWithRetryAfter_PerUser()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecond"] = "1",
            ["Limits:Burst"] = "5",
        });
        await using HubClient greedy = await host.ConnectAsync("greedy-user");
        await using HubClient polite = await host.ConnectAsync("polite-user");

        JobMessage[] replies = [.. await Task.WhenAll(Enumerable.Range(0, 8).Select(i => greedy.SubmitAsync($"g{i}", "echo")))];
        JobMessage other = await polite.SubmitAsync("p0", "echo");

        Assert.Equal(5, replies.Count(r => r.Ok == true));
        JobMessage[] limited = [.. replies.Where(r => r.Type == MessageTypes.Error)];
        Assert.Equal(3, limited.Length);
        Assert.All(limited, r =>
        {
            Assert.Equal(ErrorCodes.RateLimited, r.Error!.Code);
            Assert.True(r.Error.Retryable);
            Assert.InRange(r.Error.RetryAfterMs!.Value, 1, 1000);
        });
        Assert.True(other.Ok);
    }

    [Fact]
    public async Task Submit_BeyondMaxActiveJobs_AnswersRateLimited_AndDuplicatesStillAccepted()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?> { ["Limits:MaxActiveJobsPerUser"] = "2" });
        await using HubClient client = await host.ConnectAsync("busy-user");
        object longJob = new { durationMs = 30_000, updates = 30 };

        JobMessage first = await client.SubmitAsync("a1", "simulate", longJob);
        JobMessage second = await client.SubmitAsync("a2", "simulate", longJob);
        JobMessage third = await client.SubmitAsync("a3", "simulate", longJob);
        JobMessage retryOfFirst = await client.SubmitAsync("a1", "simulate", longJob);

        Assert.Equal(MessageTypes.Accepted, first.Type);
        Assert.Equal(MessageTypes.Accepted, second.Type);
        Assert.Equal(ErrorCodes.RateLimited, third.Error!.Code);
        Assert.Contains("At most 2 jobs", third.Error.Message, StringComparison.Ordinal);
        Assert.Equal(first.JobId, retryOfFirst.JobId);

        await client.CancelAsync(first.JobId!);
        await client.WaitForTerminalAsync(first.JobId!, TimeSpan.FromSeconds(30));
        JobMessage afterOneEnded = await client.SubmitAsync("a4", "simulate", longJob);
        Assert.Equal(MessageTypes.Accepted, afterOneEnded.Type);
        await client.CancelAsync(second.JobId!);
        await client.CancelAsync(afterOneEnded.JobId!);
    }
}
