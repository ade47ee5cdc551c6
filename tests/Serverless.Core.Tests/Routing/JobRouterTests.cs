using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Handlers;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Routing;

/// <summary>The router's decisions: sync inline, async durable, typed errors that leave nothing written.</summary>
public sealed class JobRouterTests
{
    [Fact]
    public async Task ShortAction_RunsInline_AndAnswersItsResult()
    {
        using var harness = new RouterHarness();

        JobMessage reply = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "echo", """{"hello":"world"}"""), CancellationToken.None);

        Assert.Equal(MessageTypes.Result, reply.Type);
        Assert.True(reply.Ok);
        Assert.Equal("world", reply.Data!.Value.GetProperty("hello").GetString());
        Assert.Contains("declared estimate", reply.Route, StringComparison.Ordinal);
        Assert.Empty(harness.Scheduler.Scheduled);
        Assert.Empty(await harness.Store.ListAsync("alice", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task LongAction_IsAccepted_CreatedQueued_AndScheduledOnce_EvenWhenSubmittedTwice()
    {
        using var harness = new RouterHarness();
        JobRequest request = Request("r1", "generate_report", """{"months":3}""", priority: "high");

        JobMessage first = await harness.Router().SubmitAsync(RouterHarness.Alice, request, CancellationToken.None);
        JobMessage again = await harness.Router().SubmitAsync(RouterHarness.Alice, request, CancellationToken.None);

        Assert.Equal(MessageTypes.Accepted, first.Type);
        Assert.Equal(first.JobId, again.JobId);
        Assert.True(again.Duplicate);
        JobRecord job = (await harness.Store.GetAsync(first.JobId!, CancellationToken.None))!;
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal("alice", job.OwnerId);
        Assert.Equal(JobPriority.High, job.Priority);
        var scheduled = Assert.Single(harness.Scheduler.Scheduled);
        Assert.Equal(first.JobId, scheduled.JobId);
        Assert.Equal(4, scheduled.Stages.Count);
    }

    [Fact]
    public async Task SameRequestId_FromAnotherUser_IsAnotherJob()
    {
        using var harness = new RouterHarness();

        JobMessage alice = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);
        JobMessage bob = await harness.Router().SubmitAsync(new("bob"), Request("r1", "simulate", "{}"), CancellationToken.None);

        Assert.NotEqual(alice.JobId, bob.JobId);
        Assert.Equal(2, harness.Scheduler.Scheduled.Count);
    }

    [Fact]
    public async Task RequestIdReusedForAnotherAction_IsDuplicateRequest()
    {
        using var harness = new RouterHarness();
        JobMessage first = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);

        JobMessage reused = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "generate_report", "{}"), CancellationToken.None);

        Assert.Equal(ErrorCodes.DuplicateRequest, reused.Error!.Code);
        Assert.Contains(first.JobId!, reused.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no_such_action", "{}", ErrorCodes.UnknownAction)]
    [InlineData("simulate", """{"durationMs":-5}""", ErrorCodes.ValidationError)]
    [InlineData("simulate", """{"stages":"many"}""", ErrorCodes.ValidationError)]
    [InlineData("generate_report", """{"months":1000}""", ErrorCodes.ValidationError)]
    public async Task BadRequests_GetTypedErrors_AndLeaveNothingWritten(string action, string payload, string code)
    {
        using var harness = new RouterHarness();

        JobMessage reply = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", action, payload), CancellationToken.None);

        Assert.Equal(MessageTypes.Error, reply.Type);
        Assert.Equal(code, reply.Error!.Code);
        Assert.Equal("r1", reply.RequestId);
        Assert.Empty(await harness.Store.ListAsync("alice", null, 10, CancellationToken.None));
        Assert.Empty(harness.Scheduler.Scheduled);
        Assert.Empty(harness.Events.Events);
    }

    [Fact]
    public async Task Resume_StorageCallTimesOut_IsRetryableUnavailable_NotAnUnexpectedError()
    {
        using var harness = new RouterHarness();
        JobMessage accepted = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);
        harness.Store.TimeOutNextEventReads = 1;

        JobException refused = await Assert.ThrowsAsync<JobException>(() => harness.Router().ResumeAsync(RouterHarness.Alice, accepted.JobId, 0, CancellationToken.None));

        Assert.Equal(ErrorCodes.ServiceUnavailable, refused.Error.Code);
        Assert.True(refused.Error.Retryable);
        Assert.Empty(await harness.Router().ResumeAsync(RouterHarness.Alice, accepted.JobId, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Resume_CallerHangsUp_StaysACancellation()
    {
        using var harness = new RouterHarness();
        JobMessage accepted = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);
        harness.Store.TimeOutNextEventReads = 1;
        using var hangUp = new CancellationTokenSource();
        await hangUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Router().ResumeAsync(RouterHarness.Alice, accepted.JobId, 0, hangUp.Token));
    }

    [Fact]
    public async Task SchedulingFails_AnswersRetryableUnavailable_AndRemovesTheJob()
    {
        using var harness = new RouterHarness();
        harness.Scheduler.Fail = true;

        JobMessage reply = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);

        Assert.Equal(ErrorCodes.ServiceUnavailable, reply.Error!.Code);
        Assert.True(reply.Error.Retryable);
        Assert.Empty(await harness.Store.ListAsync("alice", null, 10, CancellationToken.None));

        // The same request succeeds once the backend is back.
        harness.Scheduler.Fail = false;
        JobMessage retried = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "simulate", "{}"), CancellationToken.None);
        Assert.Equal(MessageTypes.Accepted, retried.Type);
        Assert.NotEqual(true, retried.Duplicate);
    }

    [Fact]
    public async Task SyncHandlerOverrunningTheDeadline_IsCancelled_AndAnsweredTimeout()
    {
        var stuck = new StuckHandler();
        using var harness = new RouterHarness(
            new() { ["Router:SyncTimeout"] = "00:00:02" },
            services => services.AddSingleton<IJobHandler>(stuck));

        Task<JobMessage> pending = harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "stuck", "{}"), CancellationToken.None);
        Assert.False(pending.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        JobMessage reply = await pending;

        Assert.Equal(ErrorCodes.Timeout, reply.Error!.Code);
        Assert.True(reply.Error.Retryable);
        Assert.True(stuck.SawCancellation);
    }

    [Fact]
    public async Task SyncActionObservedSlow_IsRoutedAsync_WithTheReasonInTheReply()
    {
        using var harness = new RouterHarness(new() { ["Router:MinimumSamples"] = "3" });
        for (int i = 0; i < 3; i++)
        {
            harness.Durations.Record("echo", TimeSpan.FromSeconds(8));
        }

        JobMessage reply = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "echo", "{}"), CancellationToken.None);

        Assert.Equal(MessageTypes.Accepted, reply.Type);
        Assert.Contains("observed p95 8 s exceeds the 5 s threshold", reply.Route, StringComparison.Ordinal);
        Assert.Single(harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task RateLimit_AnswersRateLimitedWithRetryAfter_PerUser()
    {
        using var harness = new RouterHarness(new() { ["Limits:RequestsPerSecond"] = "1", ["Limits:Burst"] = "1" });

        JobMessage first = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r1", "echo", "{}"), CancellationToken.None);
        JobMessage second = await harness.Router().SubmitAsync(RouterHarness.Alice, Request("r2", "echo", "{}"), CancellationToken.None);
        JobMessage otherUser = await harness.Router().SubmitAsync(new("bob"), Request("r3", "echo", "{}"), CancellationToken.None);

        Assert.True(first.Ok);
        Assert.Equal(ErrorCodes.RateLimited, second.Error!.Code);
        Assert.InRange(second.Error.RetryAfterMs!.Value, 1, 1000);
        Assert.True(otherUser.Ok);
    }

    private static JobRequest Request(string requestId, string action, string payload, string? priority = null) => new()
    {
        RequestId = requestId,
        Action = action,
        Payload = JsonDocument.Parse(payload).RootElement.Clone(),
        Priority = priority,
    };

    /// <summary>A sync handler that never finishes on its own.</summary>
    private sealed class StuckHandler : IJobHandler
    {
        public bool SawCancellation { get; private set; }

        public string Action => "stuck";

        public TimeSpan EstimatedDuration => TimeSpan.FromMilliseconds(10);

        public IReadOnlyList<string> GetStages(JsonElement payload) => ["wait"];

        public void ValidatePayload(JsonElement payload)
        {
        }

        public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }

            return null;
        }
    }
}
