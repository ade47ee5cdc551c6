using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Jobs;
using Serverless.Core.Storage;
using Serverless.Functions.Durable;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Protocol;

namespace Serverless.Functions.Tests;

public sealed class DurableFunctionsTests : IDisposable
{
    private readonly TestApp _app = new();

    [Fact]
    public async Task FinishJob_WritesTerminalStateOnceAndPushesToOwner()
    {
        JobRecord job = await CreateJobAsync();
        JobActivityFunctions activities = _app.Function<JobActivityFunctions>(out IServiceScope scope);
        using (scope)
        {
            var finish = new FinishInput(job.JobId, JobStatus.Completed, """{"done":true}""", null);
            await activities.FinishJob(finish, CancellationToken.None);
            await activities.FinishJob(finish, CancellationToken.None);
        }

        JobMessage terminal = Assert.Single(_app.Store.EventsOf(job.JobId));
        Assert.Equal(MessageTypes.Completed, terminal.Type);
        Assert.Equal(JobStatus.Completed, (await _app.Store.GetAsync(job.JobId, CancellationToken.None))!.Status);
        Assert.All(_app.Notifier.ToUsers, push => Assert.Equal("alice", push.UserId));
        Assert.Equal(2, _app.Notifier.ToUsers.Count);
    }

    [Fact]
    public async Task RunStage_RunsTheHandlerStage()
    {
        JobRecord job = await CreateJobAsync();
        JobActivityFunctions activities = _app.Function<JobActivityFunctions>(out IServiceScope scope);
        using (scope)
        {
            StageResult result = await activities.RunStage(
                new StageInput(job.JobId, "simulate", """{"durationMs":0,"updates":0}""", ["run"], 0, null), CancellationToken.None);

            Assert.False(result.Cancelled);
        }

        Assert.NotEmpty(_app.Store.EventsOf(job.JobId));
    }

    [Fact]
    public async Task Scheduler_WithoutDurableClient_SaysWhatIsMissing()
    {
        using IServiceScope scope = _app.Services.CreateScope();
        IJobScheduler scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.IsScheduledAsync("j1", CancellationToken.None));

        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheduler_IsPerInvocation()
    {
        using IServiceScope first = _app.Services.CreateScope();
        using IServiceScope second = _app.Services.CreateScope();

        Assert.Same(first.ServiceProvider.GetRequiredService<FunctionsJobScheduler>(), first.ServiceProvider.GetRequiredService<IJobScheduler>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<IJobScheduler>(), second.ServiceProvider.GetRequiredService<IJobScheduler>());
    }

    private async Task<JobRecord> CreateJobAsync()
    {
        var job = new JobRecord
        {
            JobId = JobKeys.JobId("alice", "r-1"),
            RequestId = "r-1",
            OwnerId = "alice",
            Action = "simulate",
            Status = JobStatus.Running,
            CreatedAt = _app.Time.GetUtcNow(),
            UpdatedAt = _app.Time.GetUtcNow(),
        };
        await _app.Store.CreateAsync(job, CancellationToken.None);
        return job;
    }

    public void Dispose() => _app.Dispose();
}
