using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Progress;
using Serverless.Core.Storage;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.Progress;

/// <summary>The reporter's batching rules on a fake clock: window, immediate flush, stage start, coalescing, seq, final state.</summary>
public sealed class ProgressReporterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryJobStore _store = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly RecordingEventSink _events = new();

    private IReadOnlyList<JobMessage> Persisted => _store.EventsOf(JobId);

    private const string JobId = "job-1";

    [Fact]
    public async Task FirstReport_FlushesAtOnceWithTheStageStart_InOneTransaction()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        Assert.Empty(Persisted);

        reporter.Report(10, "ten");

        Assert.Equal(1, _store.Appends);
        Assert.Equal(["s0 started", "ten"], Persisted.Select(m => m.Message));
        Assert.Equal([1L, 2L], Persisted.Select(m => m.Seq!.Value));
        Assert.Equal("1", Persisted[0].Metadata!.Value.GetProperty("attempt").GetString());
        Assert.Equal(1, (await _store.GetAsync(JobId, CancellationToken.None))!.StageAttempt);
    }

    [Fact]
    public async Task ReportsWithinOneWindow_AreCoalescedIntoOneFlush_WithTheLatestValue()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        reporter.Report(5, "five");
        Assert.Equal(2, Persisted.Count);

        reporter.Report(10, "ten");
        reporter.Report(20);
        reporter.Report(30);
        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, Persisted.Count);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, Persisted.Count);
        JobMessage flushed = Persisted[^1];
        Assert.Equal(30, flushed.Percent);
        Assert.Equal("ten", flushed.Message);
        Assert.Equal(3, flushed.Coalesced);
    }

    [Fact]
    public async Task ReportsOverManyWindows_FlushAtMostOncePerWindow()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);

        // 1,000 reports over 2 s: one every 2 ms.
        for (int i = 1; i <= 1000; i++)
        {
            reporter.Report(i * 0.08);
            _time.Advance(TimeSpan.FromMilliseconds(2));
        }

        await reporter.CompleteAsync(CancellationToken.None);

        // The start event with the first report, one flush per 200 ms window, and the final one.
        Assert.InRange(_store.Appends, 2, 1 + (2000 / 200) + 1);
        Assert.Equal(_store.Appends + 1, Persisted.Count);
        Assert.Equal(80, Persisted[^1].Percent);
        Assert.Equal(1000, Persisted.Skip(1).Sum(m => m.Coalesced ?? 0));
    }

    [Fact]
    public async Task FirstReportAtOrAboveTheImmediateThreshold_FlushesAtOnce_OnlyOnce()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);

        reporter.Report(50);
        reporter.Report(90);
        Assert.Equal(3, Persisted.Count);
        Assert.Equal(90, Persisted[^1].Percent);

        // Later high reports wait for the window again.
        reporter.Report(95);
        Assert.Equal(3, Persisted.Count);
        _time.Advance(Window);
        Assert.Equal(4, Persisted.Count);
        Assert.Equal(95, Persisted[^1].Percent);
    }

    [Fact]
    public async Task ImmediateThreshold_IsOnTheOverallPercent_AcrossStages()
    {
        // Stage 3 of 4: 60 % of the stage is 90 % of the job.
        await using ProgressReporter reporter = await StartAsync(stageIndex: 3, stageCount: 4);

        reporter.Report(40);
        Assert.Equal(2, Persisted.Count);
        reporter.Report(60);

        Assert.Equal(3, Persisted.Count);
        Assert.Equal(90, Persisted[^1].Percent);
        Assert.Equal("s3", Persisted[^1].Stage);
    }

    [Fact]
    public async Task StageStartWithoutReports_IsFlushedAfterOneWindow_AndSeqKeepsIncreasing()
    {
        await using (ProgressReporter first = await StartAsync(stageIndex: 0, stageCount: 2))
        {
            first.Report(100);
            await first.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(2, Persisted.Count);
        JobRecord afterFirst = (await _store.GetAsync(JobId, CancellationToken.None))!;

        await using ProgressReporter second = CreateReporter(afterFirst, stageIndex: 1, stageCount: 2);
        second.Start(attempt: 1);
        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, Persisted.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, Persisted.Count);
        Assert.Equal("s1", Persisted[^1].Stage);
        Assert.Equal(50, Persisted[^1].Percent);
        Assert.Equal([1L, 2L, 3L], Persisted.Select(m => m.Seq!.Value));
        Assert.Equal(Persisted.Select(m => m.Seq), _notifier.ToUsers.Select(p => p.Message.Seq));
    }

    [Fact]
    public async Task FinalState_IsFlushedOnComplete_WithoutWaitingForTheWindow()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);

        reporter.Report(40);
        reporter.Report(70, "almost");
        await reporter.CompleteAsync(CancellationToken.None);

        Assert.Equal(3, Persisted.Count);
        Assert.Equal(70, Persisted[^1].Percent);
        Assert.Equal("almost", Persisted[^1].Message);
        Assert.Equal(3, (await _store.GetAsync(JobId, CancellationToken.None))!.LastSeq);

        // Nothing pending: the timer firing later writes nothing more.
        _time.Advance(Window * 5);
        Assert.Equal(3, Persisted.Count);
    }

    [Fact]
    public async Task FailedFlush_KeepsTheValues_ForTheNextWindow()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        _store.FailNextAppends = 1;

        // The first flush (stage start + 25) fails; both wait for the next window, with what came since.
        reporter.Report(25);
        reporter.Report(35);
        Assert.Empty(Persisted);
        _time.Advance(Window);

        Assert.Equal(2, Persisted.Count);
        Assert.Equal("s0 started", Persisted[0].Message);
        Assert.Equal(35, Persisted[^1].Percent);
        Assert.Equal(2, Persisted[^1].Coalesced);
        Assert.Equal(2, Persisted[^1].Seq);
    }

    [Fact]
    public async Task CancellationRequested_IsSeenAtAFlushAfterTheCheckInterval_ThenReportThrows()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        await _store.RequestCancelAsync(JobId, operatorId: null, CancellationToken.None);

        reporter.Report(10);
        _time.Advance(Window);
        Assert.False(reporter.CancellationToken.IsCancellationRequested);

        _time.Advance(TimeSpan.FromSeconds(1));
        reporter.Report(20);
        _time.Advance(Window);

        Assert.True(reporter.CancellationToken.IsCancellationRequested);
        Assert.Throws<JobCancelledException>(() => reporter.Report(30));
    }

    [Fact]
    public async Task EveryFlush_IsPersistedBeforeItIsPushed_AndEmittedToTheEventStream()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        reporter.Report(50);
        await reporter.CompleteAsync(CancellationToken.None);

        Assert.Equal(Persisted.Select(m => m.Seq), _notifier.ToUsers.Select(p => p.Message.Seq));
        Assert.All(_notifier.ToUsers, p => Assert.Equal("owner-1", p.UserId));
        Assert.Equal(Persisted.Count, _events.Events.Count);
    }

    [Fact]
    public async Task CoalescedReports_CarryTheLastMetadataGiven_PersistedWithTheMessageAndTheState()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        reporter.Report(5, "five", Metadata("""{"rows":5}"""));

        reporter.Report(10, "ten", Metadata("""{"rows":10}"""));
        reporter.Report(20, "twenty", Metadata("""{"rows":20}"""));
        reporter.Report(30, "thirty");
        _time.Advance(Window);

        JobMessage flushed = Persisted[^1];
        Assert.Equal(3, flushed.Coalesced);
        Assert.Equal(20, flushed.Metadata!.Value.GetProperty("rows").GetInt32());
        Assert.Equal(5, Persisted[1].Metadata!.Value.GetProperty("rows").GetInt32());
        Assert.Equal(20, (await _store.GetAsync(JobId, CancellationToken.None))!.Metadata!.Value.GetProperty("rows").GetInt32());
        Assert.Equal(20, _notifier.ToUsers.Last().Message.Metadata!.Value.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task ReportsWithoutMetadata_AfterAFlush_CarryNone()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);
        reporter.Report(5, "five", Metadata("""{"rows":5}"""));

        reporter.Report(10, "ten");
        await reporter.CompleteAsync(CancellationToken.None);

        Assert.Null(Persisted[^1].Metadata);
    }

    [Fact]
    public async Task OversizedMetadata_IsReplacedByTheMarker_AndTheReportStillCounts()
    {
        await using ProgressReporter reporter = await StartAsync(stageIndex: 0, stageCount: 1);

        reporter.Report(50, "big", Metadata($$"""{"blob":"{{new string('x', 5000)}}"}"""));

        JobMessage flushed = Persisted[^1];
        Assert.Equal(50, flushed.Percent);
        Assert.Equal("5011 bytes > 1024", flushed.Metadata!.Value.GetProperty(ProgressMetadata.DroppedProperty).GetString());
    }

    private static System.Text.Json.JsonElement Metadata(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private async Task<ProgressReporter> StartAsync(int stageIndex, int stageCount)
    {
        var job = new JobRecord { JobId = JobId, RequestId = "r1", OwnerId = "owner-1", Action = "simulate", Status = JobStatus.Running };
        await _store.CreateAsync(job, CancellationToken.None);
        ProgressReporter reporter = CreateReporter(job, stageIndex, stageCount);
        reporter.Start(attempt: 1);
        return reporter;
    }

    private ProgressReporter CreateReporter(JobRecord job, int stageIndex, int stageCount) => new(
        job,
        stageIndex,
        [.. Enumerable.Range(0, stageCount).Select(i => $"s{i}")],
        _store,
        _notifier,
        _events,
        new ProgressOptions { FlushWindow = Window, ImmediateFlushPercent = 90, CancellationCheckInterval = TimeSpan.FromSeconds(1) },
        TestMetrics.Create(),
        _time,
        NullLogger.Instance,
        _time.GetUtcNow());
}
