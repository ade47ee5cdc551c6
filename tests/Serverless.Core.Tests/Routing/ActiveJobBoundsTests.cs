using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Routing;
using Serverless.Core.Storage;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.Routing;

/// <summary>The per-user active-job bound: read once, counted up in memory, read again at the limit or when stale.</summary>
public sealed class ActiveJobBoundsTests
{
    private const string Owner = "alice";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryJobStore _store = new();

    [Fact]
    public async Task UpperBound_BelowTheLimit_ReadsOnce_ThenCountsCreatedJobsInMemory()
    {
        var bounds = new ActiveJobBounds(_store, _time);
        await CreateJobAsync("a");

        Assert.Equal(1, await bounds.UpperBoundAsync(Owner, 5, CancellationToken.None));
        bounds.Created(Owner);
        await CreateJobAsync("b");
        Assert.Equal(2, await bounds.UpperBoundAsync(Owner, 5, CancellationToken.None));

        Assert.Equal(1, _store.CountQueries);
    }

    [Fact]
    public async Task UpperBound_AtTheLimit_ReadsAgain_AndSeesJobsThatEnded()
    {
        var bounds = new ActiveJobBounds(_store, _time);
        JobRecord first = await CreateJobAsync("a");
        await CreateJobAsync("b");
        Assert.Equal(2, await bounds.UpperBoundAsync(Owner, 2, CancellationToken.None));

        await _store.MarkEndedAsync(first, CancellationToken.None);

        Assert.Equal(1, await bounds.UpperBoundAsync(Owner, 2, CancellationToken.None));
        Assert.Equal(2, _store.CountQueries);
    }

    [Fact]
    public async Task UpperBound_OlderThanFreshness_ReadsAgain_AndSeesJobsOtherHostsCreated()
    {
        var bounds = new ActiveJobBounds(_store, _time);
        Assert.Equal(0, await bounds.UpperBoundAsync(Owner, 5, CancellationToken.None));

        // Created through another host: this one's bound does not know.
        await CreateJobAsync("elsewhere");
        _time.Advance(ActiveJobBounds.Freshness - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await bounds.UpperBoundAsync(Owner, 5, CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, await bounds.UpperBoundAsync(Owner, 5, CancellationToken.None));
        Assert.Equal(2, _store.CountQueries);
    }

    private async Task<JobRecord> CreateJobAsync(string requestId)
    {
        var job = new JobRecord
        {
            JobId = JobKeys.JobId(Owner, requestId),
            RequestId = requestId,
            OwnerId = Owner,
            Action = "simulate",
            Status = JobStatus.Queued,
            CreatedAt = _time.GetUtcNow(),
        };
        await _store.CreateAsync(job, CancellationToken.None);
        return job;
    }
}
