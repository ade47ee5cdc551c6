using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Diagnostics;

public sealed class JobStatisticsTests
{
    private readonly ServerlessMetrics _metrics = TestMetrics.Create();

    [Fact]
    public void Snapshot_Durations_GivesNearestRankPercentilesAndThroughput()
    {
        using JobStatistics sut = CreateSut(out _);
        for (int i = 1; i <= 100; i++)
        {
            _metrics.JobDuration.Record(i / 1000.0, new("action", "echo"), new("mode", JobMode.Sync));
        }

        JobStatisticsSnapshot stats = sut.Snapshot();

        Assert.Equal(100, stats.Finished);
        Assert.Equal(50, stats.LatencyP50Ms);
        Assert.Equal(95, stats.LatencyP95Ms);
        Assert.Equal(99, stats.LatencyP99Ms);
        Assert.Equal(Math.Round(100 / 60.0, 3), stats.ThroughputPerSecond);
    }

    [Fact]
    public void Snapshot_FailedJobsAndRejections_AreCountedSeparately()
    {
        using JobStatistics sut = CreateSut(out _);
        _metrics.JobDuration.Record(1, new("action", "simulate"), new("mode", JobMode.Async));
        _metrics.JobDuration.Record(2, new("action", "simulate"), new("mode", JobMode.Async));
        _metrics.JobsFinished.Add(1, new("action", "simulate"), new("status", JobStatus.Completed));
        _metrics.JobsFinished.Add(1, new("action", "simulate"), new("status", JobStatus.Failed));
        _metrics.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ErrorCodes.RateLimited));

        JobStatisticsSnapshot stats = sut.Snapshot();

        Assert.Equal(2, stats.Finished);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(0.5, stats.ErrorRate);
        Assert.Equal(1, stats.Rejected);
    }

    [Fact]
    public void Snapshot_AfterTheWindow_ForgetsOldSamples()
    {
        using JobStatistics sut = CreateSut(out FakeTimeProvider time);
        _metrics.JobDuration.Record(1, new("action", "echo"), new("mode", JobMode.Sync));
        time.Advance(JobStatistics.Window + TimeSpan.FromSeconds(1));
        _metrics.JobDuration.Record(3, new("action", "echo"), new("mode", JobMode.Sync));

        JobStatisticsSnapshot stats = sut.Snapshot();

        Assert.Equal(1, stats.Finished);
        Assert.Equal(3000, stats.LatencyP50Ms);
    }

    [Fact]
    public void Snapshot_NoJobs_HasNoLatencyAndNoErrors()
    {
        using JobStatistics sut = CreateSut(out _);

        JobStatisticsSnapshot stats = sut.Snapshot();

        Assert.Equal(0, stats.Finished);
        Assert.Null(stats.LatencyP50Ms);
        Assert.Equal(0, stats.ErrorRate);
    }

    [Fact]
    public void Snapshot_AnotherHostInTheSameProcess_IsNotCounted()
    {
        using JobStatistics sut = CreateSut(out _);
        ServerlessMetrics otherHost = TestMetrics.Create();
        otherHost.JobDuration.Record(1, new("action", "echo"), new("mode", JobMode.Sync));
        otherHost.JobsFinished.Add(1, new("action", "simulate"), new("status", JobStatus.Failed));
        otherHost.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ErrorCodes.RateLimited));
        _metrics.JobDuration.Record(2, new("action", "echo"), new("mode", JobMode.Sync));

        JobStatisticsSnapshot stats = sut.Snapshot();

        Assert.Equal(1, stats.Finished);
        Assert.Equal(2000, stats.LatencyP50Ms);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.Rejected);
    }

    private JobStatistics CreateSut(out FakeTimeProvider time)
    {
        time = new FakeTimeProvider();
        return new JobStatistics(_metrics, new CapacityStatistics(_metrics, time), time);
    }
}
