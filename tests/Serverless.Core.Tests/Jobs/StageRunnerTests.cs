using System.Text.Json;
using Serverless.Core.Events;
using Serverless.Core.Jobs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Routing;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Jobs;

/// <summary>
/// The last stage ends the job itself: in its final flush's transaction, and once even when it runs again. A first
/// attempt starts from the previous stage's cursor without reading the job while the last look is recent.
/// </summary>
public sealed class StageRunnerTests
{
    [Fact]
    public async Task LastStage_Succeeds_WritesItsFinalProgressAndTheTerminalStateInOneTransaction()
    {
        using var harness = new RouterHarness();
        JobInput input = await SubmitAsync(harness);

        StageResult result = await RunLastStageAsync(harness, input);

        Assert.True(result.Finished);
        JobRecord job = (await harness.Store.GetAsync(input.JobId, CancellationToken.None))!;
        Assert.Equal(JobStatus.Completed, job.Status);
        IReadOnlyList<JobMessage> persisted = harness.Store.EventsOf(input.JobId);
        Assert.Equal([0.0, 5, 90, 100, 100], persisted.Select(m => m.Percent!.Value));
        Assert.Equal(MessageTypes.Completed, persisted[^1].Type);
        Assert.Equal(job.LastSeq, persisted[^1].Seq);

        // The first report flushes at once with the stage start, the first at 90 % at once too (the clock stands
        // still, so no window passes); the reports after it go out with the terminal state in the third transaction.
        Assert.Equal(3, harness.Store.Appends);
        Assert.Equal(persisted.Select(m => m.Seq), harness.Notifier.ToUsers.Select(p => p.Message.Seq));
        Assert.Single(harness.Events.Events, e => e.Type == JobEventTypes.Completed);
    }

    [Fact]
    public async Task LastStage_RunAgainAfterTheJobEnded_PushesTheSameTerminalMessage_WithoutRunningTheHandler()
    {
        using var harness = new RouterHarness();
        JobInput input = await SubmitAsync(harness);
        await RunLastStageAsync(harness, input);
        int appends = harness.Store.Appends;

        StageResult again = await RunLastStageAsync(harness, input);

        Assert.True(again.Finished);
        Assert.Equal(appends, harness.Store.Appends);
        Assert.Equal(5, harness.Store.EventsOf(input.JobId).Count);
        JobMessage[] terminals = [.. harness.Notifier.ToUsers.Select(p => p.Message).Where(m => m.Type == MessageTypes.Completed)];
        Assert.Equal(2, terminals.Length);
        Assert.Equal(terminals[0].Seq, terminals[1].Seq);
    }

    [Fact]
    public async Task NextStage_WithARecentCursor_StartsWithoutReadingTheJob_AndContinuesItsSeq()
    {
        using var harness = new RouterHarness();
        JobInput input = await SubmitAsync(harness, stages: 2);
        StageResult first = await RunStageAsync(harness, input, 0, cursor: null);
        int reads = harness.Store.Reads;

        StageResult second = await RunStageAsync(harness, input, 1, first.Next);

        Assert.True(second.Finished);
        Assert.Equal(reads, harness.Store.Reads);
        IReadOnlyList<JobMessage> persisted = harness.Store.EventsOf(input.JobId);
        Assert.Equal(Enumerable.Range(1, persisted.Count).Select(i => (long)i), persisted.Select(m => m.Seq!.Value));
        Assert.Equal("step-2 started", persisted.Single(m => m.Stage == "step-2" && m.Metadata is not null).Message);
        JobEvent completed = Assert.Single(harness.Events.Events, e => e.Type == JobEventTypes.Completed);
        Assert.Equal("r1", completed.Data.RequestId);
    }

    [Fact]
    public async Task NextStage_WithACursorOlderThanTheCancellationInterval_ReadsTheJob_AndSeesACancelRequest()
    {
        using var harness = new RouterHarness();
        JobInput input = await SubmitAsync(harness, stages: 2);
        StageResult first = await RunStageAsync(harness, input, 0, cursor: null);
        await harness.Store.RequestCancelAsync(input.JobId, operatorId: null, CancellationToken.None);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        StageResult second = await RunStageAsync(harness, input, 1, first.Next);

        Assert.True(second.Cancelled);
        Assert.DoesNotContain(harness.Store.EventsOf(input.JobId), m => m.Stage == "step-2");
    }

    private static Task<StageResult> RunStageAsync(RouterHarness harness, JobInput input, int stage, StageCursor? cursor) =>
        harness.StageRunner().RunAsync(
            new StageInput(input.JobId, input.Action, input.PayloadJson, input.Stages, stage, null) { Cursor = cursor }, CancellationToken.None);

    private static async Task<JobInput> SubmitAsync(RouterHarness harness, int stages = 1)
    {
        JsonElement payload = JsonSerializer.SerializeToElement(new { stages, durationMs = 0, updates = 20 });
        JobMessage accepted = await harness.Router().SubmitAsync(
            RouterHarness.Alice, new JobRequest { RequestId = "r1", Action = "simulate", Payload = payload }, CancellationToken.None);
        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        return Assert.Single(harness.Scheduler.Scheduled);
    }

    private static Task<StageResult> RunLastStageAsync(RouterHarness harness, JobInput input) =>
        harness.StageRunner().RunAsync(
            new StageInput(input.JobId, input.Action, input.PayloadJson, input.Stages, input.Stages.Count - 1, null), CancellationToken.None);
}
