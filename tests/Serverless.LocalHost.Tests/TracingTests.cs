using System.Collections.Concurrent;
using System.Diagnostics;
using Serverless.Core.Diagnostics;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>One trace per job: submit, then scheduling, then every stage and the finish, across the Durable hop.</summary>
[Collection(StackCollection.Name)]
public sealed class TracingTests(LocalStackFixture stack)
{
    [Fact]
    public async Task AsyncJob_SubmitScheduleStagesAndFinish_FormOneTrace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = Listen(stopped);
        await using HubClient client = await stack.Host.ConnectAsync("trace-user");

        JobMessage accepted = await client.SubmitAsync("trace-1", "generate_report", new { months = 1, paceMs = 0 });
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));
        Assert.Equal(MessageTypes.Completed, messages[^1].Type);

        // The finish span ends just after the terminal message is pushed.
        Activity[] spans = [];
        for (int i = 0; i < 50 && !spans.Any(s => s.OperationName == "job.finish"); i++)
        {
            await Task.Delay(100);
            spans = [.. stopped.Where(s => (s.GetTagItem("job.id") as string) == accepted.JobId)];
        }

        Activity submit = Assert.Single(spans, s => s.OperationName == "job.submit");
        Activity schedule = Assert.Single(spans, s => s.OperationName == "job.schedule");
        Activity[] stages = [.. spans.Where(s => s.OperationName == "job.stage").OrderBy(s => (int)s.GetTagItem("job.stage_index")!)];
        Activity finish = Assert.Single(spans, s => s.OperationName == "job.finish");

        Assert.Equal("generate_report", submit.GetTagItem("job.action"));
        Assert.Equal(JobMode.Async, submit.GetTagItem("job.mode"));
        Assert.Equal(submit.SpanId, schedule.ParentSpanId);
        Assert.Equal(["collect", "analyze", "render", "publish"], stages.Select(s => (string)s.GetTagItem("job.stage")!));
        Assert.All(stages, stage => Assert.Equal(schedule.SpanId, stage.ParentSpanId));
        Assert.Equal(schedule.SpanId, finish.ParentSpanId);
        Assert.Equal(JobStatus.Completed, finish.GetTagItem("job.status"));
        Assert.All(spans, span => Assert.Equal(submit.TraceId, span.TraceId));
    }

    [Fact]
    public async Task RefusedRequest_SubmitSpanCarriesTheErrorCode()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = Listen(stopped);
        await using HubClient client = await stack.Host.ConnectAsync("trace-user-2");

        JobMessage reply = await client.SubmitAsync("trace-unknown-action-7f3a", "no_such_action", new { });

        Assert.Equal(ErrorCodes.UnknownAction, reply.Error!.Code);
        Assert.Contains(stopped, span => span.OperationName == "job.submit"
            && span.Status == ActivityStatusCode.Error
            && (span.GetTagItem("error.type") as string) == ErrorCodes.UnknownAction);
    }

    /// <summary>Records every span of the Serverless source that ends, from any test running meanwhile too.</summary>
    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServerlessTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
