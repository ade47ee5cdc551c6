using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Diagnostics;

// The meter is static: nothing else may record while these tests count.
[CollectionDefinition(nameof(JobStatisticsTests), DisableParallelization = true)]
public sealed class JobStatisticsCollection;

[Collection(nameof(JobStatisticsTests))]
public sealed class JobStatisticsTests
{
    [Fact]
    public void Snapshot_Durations_GivesNearestRankPercentilesAndThroughput()
    {
        using JobStatistics sut = CreateSut(out _);
        for (int i = 1; i <= 100; i++)
        {
            ServerlessTelemetry.JobDuration.Record(i / 1000.0, new("action", "echo"), new("mode", JobMode.Sync));
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
        ServerlessTelemetry.JobDuration.Record(1, new("action", "simulate"), new("mode", JobMode.Async));
        ServerlessTelemetry.JobDuration.Record(2, new("action", "simulate"), new("mode", JobMode.Async));
        ServerlessTelemetry.JobsFinished.Add(1, new("action", "simulate"), new("status", JobStatus.Completed));
        ServerlessTelemetry.JobsFinished.Add(1, new("action", "simulate"), new("status", JobStatus.Failed));
        ServerlessTelemetry.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ErrorCodes.RateLimited));

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
        ServerlessTelemetry.JobDuration.Record(1, new("action", "echo"), new("mode", JobMode.Sync));
        time.Advance(JobStatistics.Window + TimeSpan.FromSeconds(1));
        ServerlessTelemetry.JobDuration.Record(3, new("action", "echo"), new("mode", JobMode.Sync));

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

    private static JobStatistics CreateSut(out FakeTimeProvider time)
    {
        time = new FakeTimeProvider();
        return new JobStatistics(time);
    }
}
