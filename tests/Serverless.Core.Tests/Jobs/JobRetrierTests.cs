using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Jobs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Routing;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.Jobs;

/// <summary>An operator's retry: the next run's input, nothing written for a job that is not failed, and a run whose scheduling failed scheduled by the next call.</summary>
public sealed class JobRetrierTests
{
    private const string JobId = "j0123456789abcdef0123456789abcde";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryJobStore _store = new();
    private readonly RecordingScheduler _scheduler = new();
    private readonly RecordingNotifier _notifier = new();

    [Fact]
    public async Task Retry_FailedInStage2_SchedulesRun1FromStage2WithStage1sKeptOutput()
    {
        await FailedJobAsync();

        JobMessage status = await CreateSut().RetryAsync("ops", JobId, CancellationToken.None);

        Assert.Equal(JobStatus.Queued, status.Status);
        JobInput run = _scheduler.Scheduled.Last();
        Assert.Equal((1, 1, """{"stage":1}"""), (run.Run, run.FirstStage, run.FirstStageInputJson));
        JobMessage retried = _notifier.ToUsers.Single().Message;
        Assert.Equal((4L, "b", "ops"), (retried.Seq!.Value, retried.Stage, retried.Metadata!.Value.GetProperty("retriedBy").GetString()));
        Assert.Equal(retried.Seq, _store.EventsOf(JobId)[^1].Seq);
    }

    [Fact]
    public async Task Retry_JobNotFailed_ThrowsValidationErrorAndWritesNothing()
    {
        await FailedJobAsync();
        JobRetrier sut = CreateSut();
        await sut.RetryAsync("ops", JobId, CancellationToken.None);
        int events = _store.EventsOf(JobId).Count;

        JobException refused = await Assert.ThrowsAsync<JobException>(() => sut.RetryAsync("ops", JobId, CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationError, refused.Error.Code);
        Assert.Equal(events, _store.EventsOf(JobId).Count);
        Assert.Equal(2, _scheduler.Scheduled.Count);
    }

    [Fact]
    public async Task Retry_SchedulingFailed_TheNextCallSchedulesTheRecordedRun()
    {
        await FailedJobAsync();
        JobRetrier sut = CreateSut();
        _scheduler.Fail = true;

        JobException unavailable = await Assert.ThrowsAsync<JobException>(() => sut.RetryAsync("ops", JobId, CancellationToken.None));
        _scheduler.Fail = false;
        JobMessage status = await sut.RetryAsync("ops", JobId, CancellationToken.None);

        Assert.Equal(ErrorCodes.ServiceUnavailable, unavailable.Error.Code);
        Assert.Equal("Retry 1 scheduled.", status.Message);
        Assert.Equal((1, 1), (_scheduler.Scheduled.Last().Run, _scheduler.Scheduled.Last().FirstStage));
        Assert.Single(_notifier.ToUsers);
        Assert.Equal(1, (await _store.GetAsync(JobId, CancellationToken.None))!.Retries);
    }

    [Fact]
    public async Task Retry_NoKeptOutputOfTheStageBefore_ThrowsValidationErrorAndWritesNothing()
    {
        await FailedJobAsync(keepOutput: false);

        JobException refused = await Assert.ThrowsAsync<JobException>(() => CreateSut().RetryAsync("ops", JobId, CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationError, refused.Error.Code);
        Assert.Contains("no kept output of stage 'a'", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _store.EventsOf(JobId).Count);
        Assert.Equal(JobStatus.Failed, (await _store.GetAsync(JobId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Retry_UnknownJob_ThrowsNotFound()
    {
        JobException refused = await Assert.ThrowsAsync<JobException>(() => CreateSut().RetryAsync("ops", JobId, CancellationToken.None));

        Assert.Equal(ErrorCodes.NotFound, refused.Error.Code);
    }

    /// <summary>A job of stages a, b, c whose first run completed a (keeping its output) and failed in b.</summary>
    private async Task FailedJobAsync(bool keepOutput = true)
    {
        var job = new JobRecord { JobId = JobId, RequestId = "r1", OwnerId = "alice", Action = "simulate", CreatedAt = _time.GetUtcNow() };
        await _store.CreateAsync(job, CancellationToken.None);
        await _scheduler.ScheduleAsync(
            new JobInput(JobId, "alice", "simulate", "{}", ["a", "b", "c"], new StageRetry(1, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(1))),
            CancellationToken.None);
        await _store.AppendAsync(
            new JobUpdate { JobId = JobId, LastSeq = 1, UpdatedAt = _time.GetUtcNow(), Status = JobStatus.Running, StageIndex = 0, Output = keepOutput ? new StageOutput(0, """{"stage":1}""") : null },
            [new JobMessage { Type = MessageTypes.Progress, JobId = JobId, Seq = 1 }],
            CancellationToken.None);
        await _store.AppendAsync(
            new JobUpdate { JobId = JobId, LastSeq = 3, UpdatedAt = _time.GetUtcNow(), Status = JobStatus.Failed, StageIndex = 1, Error = new JobError(ErrorCodes.HandlerFailed, "boom") },
            [new JobMessage { Type = MessageTypes.Progress, JobId = JobId, Seq = 2 }, new JobMessage { Type = MessageTypes.Failed, JobId = JobId, Seq = 3 }],
            CancellationToken.None);
    }

    private JobRetrier CreateSut() => new(
        _store, _scheduler, _notifier, new RecordingEventSink(), Options.Create(new JobOptions()), TestMetrics.Create(), _time, NullLogger<JobRetrier>.Instance);
}
