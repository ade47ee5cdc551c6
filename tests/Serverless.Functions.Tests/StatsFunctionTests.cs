using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Diagnostics;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Jobs;
using Serverless.Core.Storage;
using Serverless.Functions.Durable;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Protocol;

namespace Serverless.Functions.Tests;

// Each app has its own meter (ServerlessMetrics), so other tests' jobs never land in this one's window.
public sealed class StatsFunctionTests : IDisposable
{
    private readonly TestApp _app = new(new Dictionary<string, string?>());

    // Created before any job ends, as the worker creates them at start (DiagnosticsStartup).
    public StatsFunctionTests()
    {
        _app.Services.GetRequiredService<JobStatistics>();
        _app.Services.GetRequiredService<PrometheusMetrics>();
    }

    [Fact]
    public async Task Metrics_AfterJobsFinish_AnswersThemInThePrometheusFormat()
    {
        await FinishAsync("r-m1", TimeSpan.FromSeconds(1), JobStatus.Completed);
        await FinishAsync("r-m2", TimeSpan.FromSeconds(1), JobStatus.Failed);

        MetricsFunction function = _app.Function<MetricsFunction>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(function.Metrics(TestApp.Request("GET")));

            Assert.Equal(200, answer.StatusCode);
            Assert.Equal(OperationsApi.MetricsContentType, answer.ContentType);
            Assert.Contains("serverless_jobs_finished_total{action=\"simulate\",status=\"completed\"} 1\n", answer.Body, StringComparison.Ordinal);
            Assert.Contains("serverless_jobs_finished_total{action=\"simulate\",status=\"failed\"} 1\n", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stats_AfterJobsFinish_AnswersTheirCountLatencyAndFailureRate()
    {
        JobStatisticsSnapshot before = Stats();
        await FinishAsync("r-1", TimeSpan.FromSeconds(2), JobStatus.Completed);
        await FinishAsync("r-2", TimeSpan.FromSeconds(4), JobStatus.Completed);
        await FinishAsync("r-3", TimeSpan.FromSeconds(8), JobStatus.Failed);

        JobStatisticsSnapshot stats = Stats();

        Assert.Equal(0, before.Finished);
        Assert.Equal(3, stats.Finished);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(0.3333, stats.ErrorRate);
        Assert.Equal(Math.Round(3 / JobStatistics.Window.TotalSeconds, 3), stats.ThroughputPerSecond);
        Assert.Equal(4000, stats.LatencyP50Ms);
        Assert.Equal(8000, stats.LatencyP99Ms);
    }

    [Fact]
    public async Task Stats_JobsOlderThanTheWindow_AreNotCounted()
    {
        await FinishAsync("r-old", TimeSpan.FromSeconds(1), JobStatus.Failed);
        _app.Time.Advance(JobStatistics.Window + TimeSpan.FromSeconds(1));
        await FinishAsync("r-new", TimeSpan.FromSeconds(3), JobStatus.Completed);

        JobStatisticsSnapshot stats = Stats();

        Assert.Equal(1, stats.Finished);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(3000, stats.LatencyP50Ms);
    }

    public void Dispose() => _app.Dispose();

    private JobStatisticsSnapshot Stats()
    {
        StatsFunction function = _app.Function<StatsFunction>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(function.Stats(TestApp.Request("GET")));
            Assert.Equal(200, answer.StatusCode);
            return JsonSerializer.Deserialize(answer.Body, ProtocolJson.Default.JobStatisticsSnapshot)!;
        }
    }

    /// <summary>A job that ran for <paramref name="took"/> on the app's clock, ended by the FinishJob activity.</summary>
    private async Task FinishAsync(string requestId, TimeSpan took, string status)
    {
        DateTimeOffset created = _app.Time.GetUtcNow();
        var job = new JobRecord
        {
            JobId = JobKeys.JobId("alice", requestId),
            RequestId = requestId,
            OwnerId = "alice",
            Action = "simulate",
            Status = JobStatus.Running,
            CreatedAt = created,
            UpdatedAt = created,
        };
        await _app.Store.CreateAsync(job, CancellationToken.None);
        _app.Time.Advance(took);
        JobActivityFunctions activities = _app.Function<JobActivityFunctions>(out IServiceScope scope);
        using (scope)
        {
            JobError? error = status == JobStatus.Failed ? new JobError(ErrorCodes.HandlerFailed, "failed") : null;
            await activities.FinishJob(new FinishInput(job.JobId, status, null, error), CancellationToken.None);
        }
    }
}
