using Azure;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Storage;

/// <summary>
/// The same calls against every <see cref="IJobStore"/>: the Table store on Azurite and the in-memory store the
/// function and router tests use, so a test on the fake proves what it would on the real store.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private IJobStore? _store;

    private protected IJobStore Store => _store ?? throw new InvalidOperationException("The store has not started.");

    public async Task InitializeAsync() => _store = await StartStoreAsync();

    public Task DisposeAsync() => StopStoreAsync();

    [Fact]
    public async Task CountActive_FollowsTheIndexFlag_SetAtCreate_ClearedOnlyByMarkEnded()
    {
        JobRecord queued = await CreateAsync("alice", "q", JobStatus.Queued, T0);
        JobRecord running = await CreateAsync("alice", "r", JobStatus.Running, T0.AddSeconds(1));
        await CreateAsync("bob", "b", JobStatus.Running, T0);

        Assert.Equal(2, await Store.CountActiveAsync("alice", 50, default));
        Assert.Equal(1, await Store.CountActiveAsync("alice", 1, default));

        // Ended in its state row but not yet in the index: still active.
        await EndAsync(running, JobStatus.Completed);
        Assert.Equal(2, await Store.CountActiveAsync("alice", 50, default));

        await Store.MarkEndedAsync(running, default);
        await Store.MarkEndedAsync(running, default);
        Assert.Equal(1, await Store.CountActiveAsync("alice", 50, default));
        Assert.Equal(1, await Store.CountActiveAsync("bob", 50, default));

        await Store.MarkEndedAsync(queued, default);
        Assert.Equal(0, await Store.CountActiveAsync("alice", 50, default));
    }

    [Fact]
    public async Task Create_IdTaken_ReturnsTheStoredRecord_KeepsIt_AndListsTheJobOnce()
    {
        JobRecord first = await CreateAsync("alice", "dup", JobStatus.Queued, T0);

        JobRecord? existing = await Store.CreateAsync(first with { Action = "other", CreatedAt = T0.AddMinutes(1) }, default);

        Assert.NotNull(existing);
        Assert.Equal("simulate", existing.Action);
        Assert.Equal(T0, existing.CreatedAt);
        Assert.Equal("simulate", (await Store.GetAsync(first.JobId, default))!.Action);
        Assert.Equal([first.JobId], (await Store.ListAsync("alice", null, 10, default)).Select(j => j.JobId));
        Assert.Equal(1, await Store.CountActiveAsync("alice", 50, default));
    }

    [Fact]
    public async Task List_OwnersJobsNewestFirst_FilteredByStatus_UpToTheLimit()
    {
        JobRecord oldest = await CreateAsync("alice", "a", JobStatus.Queued, T0);
        JobRecord middle = await CreateAsync("alice", "b", JobStatus.Running, T0.AddSeconds(1));
        JobRecord newest = await CreateAsync("alice", "c", JobStatus.Queued, T0.AddSeconds(2));
        await CreateAsync("bob", "d", JobStatus.Queued, T0.AddSeconds(3));
        await EndAsync(middle, JobStatus.Completed);

        Assert.Equal([newest.JobId, middle.JobId, oldest.JobId], (await Store.ListAsync("alice", null, 10, default)).Select(j => j.JobId));
        Assert.Equal([newest.JobId, middle.JobId], (await Store.ListAsync("alice", null, 2, default)).Select(j => j.JobId));
        Assert.Equal([middle.JobId], (await Store.ListAsync("alice", JobStatus.Completed, 10, default)).Select(j => j.JobId));
        Assert.Equal([newest.JobId, oldest.JobId], (await Store.ListAsync("alice", JobStatus.Queued, 10, default)).Select(j => j.JobId));
        Assert.Empty(await Store.ListAsync("carol", null, 10, default));
    }

    [Fact]
    public async Task Append_SeqAlreadyWritten_FailsAndWritesNothing()
    {
        JobRecord job = await CreateAsync("alice", "seq", JobStatus.Running, T0);
        await Store.AppendAsync(Update(job.JobId, 1, 10), [Progress(job.JobId, 1, 10)], default);

        await Assert.ThrowsAnyAsync<RequestFailedException>(() =>
            Store.AppendAsync(Update(job.JobId, 2, 20), [Progress(job.JobId, 2, 20), Progress(job.JobId, 1, 15)], default));

        JobRecord stored = (await Store.GetAsync(job.JobId, default))!;
        Assert.Equal(1, stored.LastSeq);
        Assert.Equal(10, stored.Percent);
        Assert.Equal([1L], (await Store.GetEventsAsync(job.JobId, 0, 100, default)).Select(e => e.Seq!.Value));
    }

    [Fact]
    public async Task UnknownJob_AppendAndCancel_Fail404_AndCreateNothing()
    {
        var append = await Assert.ThrowsAnyAsync<RequestFailedException>(() =>
            Store.AppendAsync(Update("nosuchjob", 1, 10), [Progress("nosuchjob", 1, 10)], default));
        var cancel = await Assert.ThrowsAnyAsync<RequestFailedException>(() => Store.RequestCancelAsync("nosuchjob", operatorId: null, default));

        Assert.Equal(404, append.Status);
        Assert.Equal(404, cancel.Status);
        Assert.Null(await Store.GetAsync("nosuchjob", default));
        Assert.Empty(await Store.GetEventsAsync("nosuchjob", 0, 100, default));
    }

    [Fact]
    public async Task Events_AfterSeq_InSeqOrder_UpToMaxCount()
    {
        JobRecord job = await CreateAsync("alice", "events", JobStatus.Running, T0);
        await Store.AppendAsync(Update(job.JobId, 2, 20), [Progress(job.JobId, 1, 10), Progress(job.JobId, 2, 20)], default);
        await Store.AppendAsync(Update(job.JobId, 3, 30), [Progress(job.JobId, 3, 30)], default);

        Assert.Equal([1L, 2L, 3L], (await Store.GetEventsAsync(job.JobId, 0, 100, default)).Select(e => e.Seq!.Value));
        Assert.Equal([2L, 3L], (await Store.GetEventsAsync(job.JobId, 1, 100, default)).Select(e => e.Seq!.Value));
        Assert.Equal([2L], (await Store.GetEventsAsync(job.JobId, 1, 1, default)).Select(e => e.Seq!.Value));
        Assert.Empty(await Store.GetEventsAsync(job.JobId, 3, 100, default));
    }

    [Fact]
    public async Task Cancel_SetsTheFlag_AndTheStateRowKeepsItsStatus()
    {
        JobRecord job = await CreateAsync("alice", "cancel", JobStatus.Running, T0);

        await Store.RequestCancelAsync(job.JobId, operatorId: null, default);

        JobRecord stored = (await Store.GetAsync(job.JobId, default))!;
        Assert.True(stored.CancelRequested);
        Assert.Equal(JobStatus.Running, stored.Status);
    }

    [Fact]
    public async Task Delete_RemovesTheJobFromGetEventsListAndCount_OnlyThatJob()
    {
        JobRecord gone = await CreateAsync("alice", "gone", JobStatus.Running, T0);
        JobRecord kept = await CreateAsync("alice", "kept", JobStatus.Running, T0.AddSeconds(1));
        await Store.AppendAsync(Update(gone.JobId, 1, 10), [Progress(gone.JobId, 1, 10)], default);

        await Store.DeleteAsync(gone, default);

        Assert.Null(await Store.GetAsync(gone.JobId, default));
        Assert.Empty(await Store.GetEventsAsync(gone.JobId, 0, 100, default));
        Assert.Equal([kept.JobId], (await Store.ListAsync("alice", null, 10, default)).Select(j => j.JobId));
        Assert.Equal(1, await Store.CountActiveAsync("alice", 50, default));
    }

    private protected abstract Task<IJobStore> StartStoreAsync();

    protected abstract Task StopStoreAsync();

    private async Task<JobRecord> CreateAsync(string owner, string requestId, string status, DateTimeOffset createdAt)
    {
        var job = new JobRecord
        {
            JobId = JobKeys.JobId(owner, requestId),
            RequestId = requestId,
            OwnerId = owner,
            Action = "simulate",
            Status = status,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };
        Assert.Null(await Store.CreateAsync(job, default));
        return job;
    }

    private async Task EndAsync(JobRecord job, string status)
    {
        JobRecord stored = (await Store.GetAsync(job.JobId, default))!;
        long seq = stored.LastSeq + 1;
        var update = new JobUpdate { JobId = job.JobId, LastSeq = seq, UpdatedAt = T0, CompletedAt = T0, Status = status };
        await Store.AppendAsync(update, [new JobMessage { Type = MessageTypes.Completed, JobId = job.JobId, Seq = seq, At = T0 }], default);
    }

    private static JobUpdate Update(string jobId, long lastSeq, double percent) =>
        new() { JobId = jobId, LastSeq = lastSeq, UpdatedAt = T0, Percent = percent };

    private static JobMessage Progress(string jobId, long seq, double percent) =>
        new() { Type = MessageTypes.Progress, JobId = jobId, Seq = seq, Percent = percent, At = T0 };
}
