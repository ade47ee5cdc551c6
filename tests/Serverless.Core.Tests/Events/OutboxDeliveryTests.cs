using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.EventStream;
using Serverless.Testing;

namespace Serverless.Core.Tests.Events;

/// <summary>The outbox under a failing Event Hubs, on Azurite: jobs not slowed, then everything delivered in order once it is back.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboxDeliveryTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int JobsPerPhase = 4;

    [Fact]
    public async Task Outage_JobsRunToTheEndWhileTheOneSendHangs_AndEveryEventArrivesInOrderAfterRecovery()
    {
        var publisher = new ControllablePublisher();
        await using EventStack stack = await EventStack.StartAsync(azurite.ConnectionString, publisher);
        await stack.RunJobAsync("warm-up");

        // Healthy Event Hubs.
        var healthy = new List<(string JobId, TimeSpan Duration)>();
        for (int i = 0; i < JobsPerPhase; i++)
        {
            healthy.Add(await stack.RunJobAsync("healthy-" + i));
        }

        // Outage: every send hangs until it times out. A job that awaited the publisher would never finish.
        publisher.Hang();
        await WaitUntilAsync(() => publisher.InFlight > 0, "the shipper to be stuck in a send");
        int attemptsBeforeJobs = publisher.Attempts;
        var outage = new List<(string JobId, TimeSpan Duration)>();
        for (int i = 0; i < JobsPerPhase; i++)
        {
            outage.Add(await stack.RunJobAsync("outage-" + i));
        }

        // Not slowed, by count rather than by clock: every job ran to its end while the one send stayed stuck and
        // no job made a send of its own.
        Assert.Equal(1, publisher.InFlight);
        Assert.Equal(attemptsBeforeJobs, publisher.Attempts);
        Assert.DoesNotContain(publisher.Delivered, e => outage.Any(job => job.JobId == e.Subject));

        // Then it fails fast for a while, and then it is back.
        publisher.Fail();
        await WaitUntilAsync(() => publisher.Failures >= 3, "failing sends");
        publisher.Heal();

        var jobs = healthy.Concat(outage).ToList();
        var expected = new Dictionary<string, IReadOnlyList<string>>();
        foreach ((string jobId, _) in jobs)
        {
            expected[jobId] = await stack.PersistedMessageIdsAsync(jobId);
        }

        await WaitUntilAsync(() => jobs.All(job => Delivered(publisher, job.JobId).Any(e => e.Type == JobEventTypes.Completed)), "every job's events after recovery");

        foreach ((string jobId, _) in jobs)
        {
            List<JobEventEnvelope> events = Delivered(publisher, jobId);
            List<JobEventEnvelope> distinct = [.. events.DistinctBy(e => e.Id)];

            // None lost: every persisted message, plus submitted, accepted and a stage.finished per stage.
            Assert.Equal(expected[jobId].Order(StringComparer.Ordinal), distinct.Where(e => e.Type is not (JobEventTypes.Submitted or JobEventTypes.Accepted or JobEventTypes.StageFinished)).Select(e => e.Id).Order(StringComparer.Ordinal));
            Assert.Single(distinct, e => e.Type == JobEventTypes.Submitted);
            Assert.Single(distinct, e => e.Type == JobEventTypes.Accepted);
            Assert.Equal(3, distinct.Count(e => e.Type == JobEventTypes.StageFinished));

            // None duplicated beyond the stable id: a repeat is the same event.
            foreach (IGrouping<string, JobEventEnvelope> same in events.GroupBy(e => e.Id))
            {
                Assert.All(same, e => Assert.Equal(same.First().Data.ToString(), e.Data.ToString()));
            }

            // In order: submitted, accepted, then seq never goes back, completed last.
            Assert.Equal(JobEventTypes.Submitted, distinct[0].Type);
            Assert.Equal(JobEventTypes.Accepted, distinct[1].Type);
            Assert.Equal(JobEventTypes.Completed, distinct[^1].Type);
            long[] seqs = [.. distinct.Skip(2).Select(e => e.Seq!.Value)];
            Assert.Equal(seqs.Order(), seqs);
        }

        // Shipped rows are gone from the outbox.
        EventOutbox outbox = stack.Services.GetRequiredService<EventOutbox>();
        DateTimeOffset bucket = EventOutbox.BucketOf(DateTimeOffset.UtcNow);
        for (int shard = 0; shard < outbox.Shards; shard++)
        {
            Assert.Empty(await outbox.ReadAsync(EventOutbox.PartitionKeyOf(bucket, shard), null, null, 10, CancellationToken.None));
        }

        double healthyMs = Median(healthy.Select(j => j.Duration.TotalMilliseconds));
        double outageMs = Median(outage.Select(j => j.Duration.TotalMilliseconds));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"job duration (median of {JobsPerPhase}, for information): Event Hubs healthy {healthyMs:0} ms, Event Hubs hanging {outageMs:0} ms; publisher attempts {publisher.Attempts}, failures {publisher.Failures}, delivered {publisher.Delivered.Count}"));
    }

    [Fact]
    public async Task NotConfigured_EventsStayInTheOutbox_AndTheReaderReadsThemInOrder()
    {
        await using EventStack stack = await EventStack.StartAsync(azurite.ConnectionString, publisher: null);
        IJobEventReader reader = stack.Services.GetRequiredService<IJobEventReader>();
        Assert.IsType<OutboxJobEventReader>(reader);

        // Tail first (only new events): the reader takes its starting point in its first MoveNextAsync, before its
        // first read; a marker job read back through the tail shows it is live before the two jobs run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stopTail = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var tailed = new List<JobEventEnvelope>();
        IAsyncEnumerator<JobEventEnvelope> tailing = reader.ReadAsync(null, fromStart: false, stopTail.Token).GetAsyncEnumerator(stopTail.Token);
        ValueTask<bool> firstRead = tailing.MoveNextAsync();
        Task tail = Task.Run(async () =>
        {
            for (bool more = await firstRead; more; more = await tailing.MoveNextAsync())
            {
                lock (tailed)
                {
                    tailed.Add(tailing.Current);
                }
            }
        });
        (string marker, _) = await stack.RunJobAsync("read-0");
        await WaitUntilAsync(() => TailedCompletion(tailed, marker), "the tail to read the marker job's completion");
        (string first, _) = await stack.RunJobAsync("read-1");
        (string second, _) = await stack.RunJobAsync("read-2");
        await WaitUntilAsync(() => TailedCompletion(tailed, first) && TailedCompletion(tailed, second), "the tail to read both jobs' completions");
        await stopTail.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail);
        await tailing.DisposeAsync();

        // One job, from the start: exactly its events, in order, none twice.
        var oneJob = new List<JobEventEnvelope>();
        await foreach (JobEventEnvelope e in reader.ReadAsync(first, fromStart: true, timeout.Token))
        {
            oneJob.Add(e);
            if (e.Type == JobEventTypes.Completed)
            {
                break;
            }
        }

        Assert.All(oneJob, e => Assert.Equal(first, e.Subject));
        Assert.Equal(oneJob.Count, oneJob.DistinctBy(e => e.Id).Count());
        Assert.Equal(tailed.Where(e => e.Subject == first).Select(e => e.Id), oneJob.Select(e => e.Id));
        Assert.Equal((await stack.PersistedMessageIdsAsync(first)).Count + 5, oneJob.Count);
        Assert.Equal(tailed.Count, tailed.DistinctBy(e => e.Id).Count());
        Assert.Contains(tailed, e => e.Subject == second);
        using JsonDocument data = JsonDocument.Parse(oneJob[^1].Data.ToString());
        Assert.Equal("completed", data.RootElement.GetProperty("status").GetString());
        output.WriteLine($"tail saw {tailed.Count} events of 2 jobs; job {first}: {string.Join(", ", oneJob.Select(e => e.Type.Replace("serverless.job.", string.Empty, StringComparison.Ordinal)).Distinct())}");
    }

    private static bool TailedCompletion(List<JobEventEnvelope> tailed, string jobId)
    {
        lock (tailed)
        {
            return tailed.Any(e => e.Subject == jobId && e.Type == JobEventTypes.Completed);
        }
    }

    private static List<JobEventEnvelope> Delivered(ControllablePublisher publisher, string jobId) =>
        [.. publisher.Delivered.Where(e => e.Subject == jobId)];

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
