using System.Text.Json;
using Serverless.Client.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Client.Tests;

/// <summary>The client against the real local stack: SignalR hub, HTTP API, Durable backend on Azurite.</summary>
[Collection(StackCollection.Name)]
public sealed class JobClientTests(LocalStackFixture stack)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    private static JobRequest Report(string requestId, int months = 3, int paceMs = 40) => new()
    {
        RequestId = requestId,
        Action = "generate_report",
        Payload = JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["months"] = months, ["paceMs"] = paceMs }),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WatchAsync_AsyncJob_YieldsEveryMessageOnceInSeqOrderEndingWithTheTerminalOne(bool messagePack)
    {
        await using JobClient client = stack.Host.CreateClient(messagePack ? "msgpack-watch-user" : "watch-user", messagePack: messagePack);
        using var timeout = new CancellationTokenSource(JobTimeout);

        JobMessage accepted = await client.SubmitAsync(Report("watch-1"), timeout.Token);
        List<JobMessage> watched = await ToListAsync(client.WatchAsync(accepted.JobId!, 0, timeout.Token));

        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(Enumerable.Range(1, watched.Count).Select(i => (long)i), watched.Select(m => m.Seq!.Value));
        Assert.Equal(MessageTypes.Completed, watched[^1].Type);
        Assert.Single(watched, m => MessageTypes.IsTerminal(m.Type));
        IReadOnlyList<JobMessage> persisted = await client.GetEventsAsync(accepted.JobId!, 0, timeout.Token);
        Assert.Equal(Describe(persisted), Describe(watched));
    }

    [Fact]
    public async Task WatchAsync_NewClientAfterDisposingMidJob_GetsTheRestWithNoGapOrDuplicate()
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        var seen = new List<JobMessage>();
        string jobId;
        await using (JobClient first = stack.Host.CreateClient("drop-user"))
        {
            jobId = (await first.SubmitAsync(Report("drop-1", months: 6, paceMs: 60), timeout.Token)).JobId!;
            await foreach (JobMessage message in first.WatchAsync(jobId, 0, timeout.Token))
            {
                seen.Add(message);
                if (seen.Count == 3)
                {
                    break;
                }
            }
        }

        await using JobClient second = stack.Host.CreateClient("drop-user");
        seen.AddRange(await ToListAsync(second.WatchAsync(jobId, seen[^1].Seq!.Value, timeout.Token)));

        IReadOnlyList<JobMessage> persisted = await second.GetEventsAsync(jobId, 0, timeout.Token);
        Assert.Equal(Describe(persisted), Describe(seen));
        Assert.Equal(MessageTypes.Completed, seen[^1].Type);
    }

    [Fact]
    public async Task WatchAsync_ConnectionCutByTheNetwork_ReconnectsAndResumesWithNoGapOrDuplicate()
    {
        await using var proxy = new OutageProxy(stack.Host.BaseAddress.Port);
        await using JobClient client = stack.Host.CreateClient("cut-user", through: new Uri($"http://127.0.0.1:{proxy.Port}"));
        using var timeout = new CancellationTokenSource(JobTimeout);
        JobMessage accepted = await client.SubmitAsync(Report("cut-1", months: 8, paceMs: 60), timeout.Token);

        var seen = new List<JobMessage>();
        await foreach (JobMessage message in client.WatchAsync(accepted.JobId!, 0, timeout.Token))
        {
            seen.Add(message);
            if (seen.Count == 2)
            {
                proxy.Reset();
            }
        }

        IReadOnlyList<JobMessage> persisted = await client.GetEventsAsync(accepted.JobId!, 0, timeout.Token);
        Assert.Equal(Describe(persisted), Describe(seen));
        Assert.Equal(MessageTypes.Completed, seen[^1].Type);
        Assert.True(client.Reconnections >= 1, "The connection was never cut and restored.");
    }

    [Fact]
    public async Task SubmitAsync_SyncAction_ReturnsTheResult()
    {
        await using JobClient client = stack.Host.CreateClient("sync-user");

        JobMessage reply = await client.SubmitAsync(new JobRequest
        {
            Action = "echo",
            Payload = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["hello"] = "world" }),
        });

        Assert.Equal(MessageTypes.Result, reply.Type);
        Assert.Equal(JobMode.Sync, reply.Mode);
        Assert.True(reply.Ok);
        Assert.StartsWith("r-", reply.RequestId, StringComparison.Ordinal);
        Assert.Equal("world", reply.Data!.Value.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task SubmitAsync_AsyncAction_IsAcceptedAndVisibleOverHttp()
    {
        await using JobClient client = stack.Host.CreateClient("async-user");

        JobMessage accepted = await client.SubmitAsync(Report("async-1", months: 1, paceMs: 0));
        JobView view = await client.GetStatusAsync(accepted.JobId!);
        IReadOnlyList<JobView> listed = await client.ListAsync(limit: 10);

        Assert.Equal(JobMode.Async, accepted.Mode);
        Assert.Equal(accepted.JobId, view.JobId);
        Assert.Equal("generate_report", view.Action);
        Assert.Contains(listed, job => job.JobId == accepted.JobId);
    }

    [Fact]
    public async Task SubmitAsync_ThroughNegotiate_Works()
    {
        string token = stack.Host.TokenFor("negotiate-user");
        await using var client = new JobClient(new JobClientOptions
        {
            BaseUrl = stack.Host.BaseAddress,
            TokenProvider = _ => ValueTask.FromResult(token),
            UseNegotiate = true,
        });

        JobMessage reply = await client.SubmitAsync(new JobRequest { Action = "echo" });

        Assert.True(reply.Ok);
    }

    [Fact]
    public async Task CancelAsync_RunningJob_EndsWithCancelled()
    {
        await using JobClient client = stack.Host.CreateClient("cancel-user");
        using var timeout = new CancellationTokenSource(JobTimeout);
        JobMessage accepted = await client.SubmitAsync(new JobRequest
        {
            RequestId = "cancel-1",
            Action = "simulate",
            Payload = JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["durationMs"] = 30_000, ["updates"] = 300 }),
        }, timeout.Token);

        // Cancel only once the job reports progress: a cancel before that would stop a queued job, not a running one.
        var watched = new List<JobMessage>();
        JobMessage? cancelAnswer = null;
        await foreach (JobMessage message in client.WatchAsync(accepted.JobId!, 0, timeout.Token))
        {
            watched.Add(message);
            if (cancelAnswer is null && message.Type == MessageTypes.Progress)
            {
                cancelAnswer = await client.CancelAsync(accepted.JobId!, timeout.Token);
            }
        }

        JobView final = await client.GetStatusAsync(accepted.JobId!, timeout.Token);
        Assert.NotNull(cancelAnswer);
        Assert.Equal(MessageTypes.Status, cancelAnswer.Type);
        Assert.Equal(JobStatus.Running, cancelAnswer.Status);
        Assert.Equal(MessageTypes.Cancelled, watched[^1].Type);
        Assert.Equal(JobStatus.Cancelled, final.Status);
        Assert.True(final.Percent < 100, $"cancelled at {final.Percent} %");
        Assert.DoesNotContain(watched, m => m.Type == MessageTypes.Completed || m.Percent >= 100);
    }

    [Fact]
    public async Task SubmitAsync_UnknownAction_ThrowsTypedError()
    {
        await using JobClient client = stack.Host.CreateClient("error-user");

        var error = await Assert.ThrowsAsync<JobClientException>(() => client.SubmitAsync(new JobRequest { RequestId = "bad-1", Action = "no_such_action" }));

        Assert.Equal(ErrorCodes.UnknownAction, error.Error.Code);
    }

    [Fact]
    public async Task SubmitAsync_InvalidRequestId_ThrowsValidationError()
    {
        await using JobClient client = stack.Host.CreateClient("error-user");

        var error = await Assert.ThrowsAsync<JobClientException>(() => client.SubmitAsync(new JobRequest { RequestId = "not valid!", Action = "echo" }));

        Assert.Equal(ErrorCodes.ValidationError, error.Error.Code);
    }

    [Fact]
    public async Task UnknownJob_StatusAndWatch_ThrowNotFound()
    {
        await using JobClient client = stack.Host.CreateClient("error-user");

        var status = await Assert.ThrowsAsync<JobClientException>(() => client.GetStatusAsync("nosuchjob123"));
        var watch = await Assert.ThrowsAsync<JobClientException>(() => ToListAsync(client.WatchAsync("nosuchjob123")));

        Assert.Equal(ErrorCodes.NotFound, status.Error.Code);
        Assert.Equal(ErrorCodes.NotFound, watch.Error.Code);
    }

    [Fact]
    public async Task ConnectAsync_InvalidToken_ThrowsUnauthorized()
    {
        await using var client = new JobClient(new JobClientOptions
        {
            BaseUrl = stack.Host.BaseAddress,
            TokenProvider = _ => ValueTask.FromResult("not-a-token"),
        });

        var error = await Assert.ThrowsAsync<JobClientException>(() => client.ConnectAsync());

        Assert.Equal(ErrorCodes.Unauthorized, error.Error.Code);
    }

    private static IEnumerable<(long?, string, double?, string?)> Describe(IEnumerable<JobMessage> messages) =>
        messages.Select(m => (m.Seq, m.Type, m.Percent, m.Stage));

    private static async Task<List<JobMessage>> ToListAsync(IAsyncEnumerable<JobMessage> messages)
    {
        var list = new List<JobMessage>();
        await foreach (JobMessage message in messages)
        {
            list.Add(message);
        }

        return list;
    }
}
