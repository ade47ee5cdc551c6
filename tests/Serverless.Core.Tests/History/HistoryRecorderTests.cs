using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Diagnostics;
using Serverless.Core.History;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.History;

/// <summary>Per-minute history written by two host instances into one table on a real Azurite, and read back summed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HistoryRecorderTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset TenPast = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TwoInstances_SameMinute_AreSummedWithMergedPercentiles()
    {
        (HistoryStore store, string table) = NewStore();
        var time = new FakeTimeProvider(TenPast.AddSeconds(5));
        (HistoryRecorder first, ServerlessMetrics firstMetrics) = NewRecorder(store, table, time);
        (HistoryRecorder second, ServerlessMetrics secondMetrics) = NewRecorder(store, table, time);
        using (first)
        using (second)
        {
            Submit(firstMetrics, "simulate", count: 3, ackMs: 8);
            Finish(firstMetrics, "simulate", JobStatus.Completed, durationMs: 900, count: 2);
            Submit(secondMetrics, "simulate", count: 2, ackMs: 40);
            Finish(secondMetrics, "simulate", JobStatus.Failed, durationMs: 3000, count: 1);
            Finish(secondMetrics, "simulate", JobStatus.Cancelled, durationMs: 3000, count: 1);
            Submit(secondMetrics, "echo", count: 1, ackMs: null);
            time.Advance(TimeSpan.FromMinutes(1));

            await first.WriteAsync(includeCurrent: false, CancellationToken.None);
            await second.WriteAsync(includeCurrent: false, CancellationToken.None);
        }

        var reader = new HistoryReader(store, first);
        HistoryPoint simulate = Assert.Single(await reader.QueryAsync(TenPast, TenPast.AddHours(1), "simulate", step: 1, CancellationToken.None));
        HistoryPoint echo = Assert.Single(await reader.QueryAsync(TenPast, TenPast.AddHours(1), "echo", step: 1, CancellationToken.None));
        HistoryPoint all = Assert.Single(await reader.QueryAsync(TenPast, TenPast.AddHours(1), null, step: 1, CancellationToken.None));

        Assert.Equal(TenPast, simulate.Minute);
        Assert.Equal((5, 2, 1, 1), (simulate.Submitted, simulate.Completed, simulate.Failed, simulate.Cancelled));
        Assert.Equal(1000, simulate.DurationP50Ms);
        Assert.Equal(5000, simulate.DurationP99Ms);
        Assert.Equal(10, simulate.AckP50Ms);
        Assert.Equal(50, simulate.AckP99Ms);
        Assert.Null(echo.AckP50Ms);
        Assert.Equal((HistoryReader.AllActions, 6L, 2L, 1L, 1L), (all.Action, all.Submitted, all.Completed, all.Failed, all.Cancelled));
    }

    [Fact]
    public async Task Write_OnlyEndedMinutes_TheCurrentOneIsReadFromMemory_UntilShutdownWritesIt()
    {
        (HistoryStore store, string table) = NewStore();
        var time = new FakeTimeProvider(TenPast.AddSeconds(30));
        (HistoryRecorder recorder, ServerlessMetrics metrics) = NewRecorder(store, table, time);
        using (recorder)
        {
            Submit(metrics, "echo", count: 1, ackMs: null);

            await recorder.WriteAsync(includeCurrent: false, CancellationToken.None);
            Assert.Empty(await store.ReadAsync(TenPast, TenPast.AddHours(1), null, CancellationToken.None));
            Assert.Equal(1, Assert.Single(await new HistoryReader(store, recorder).QueryAsync(TenPast, TenPast.AddHours(1), null, 1, CancellationToken.None)).Submitted);

            await recorder.StopAsync(CancellationToken.None);
            Assert.Empty(recorder.Unwritten());
        }

        Assert.Equal(1, Assert.Single(await store.ReadAsync(TenPast, TenPast.AddHours(1), null, CancellationToken.None)).Submitted);
    }

    [Fact]
    public async Task Write_StorageUnreachable_NeverThrows_AndKeepsTheMinutesForTheNextWrite()
    {
        // Nothing listens there: the SDK gives up with an AggregateException of its attempts.
        var unreachable = new TableClient(
            $"AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            "history",
            new TableClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) } });
        var time = new FakeTimeProvider(TenPast);
        (HistoryRecorder recorder, ServerlessMetrics metrics) = NewRecorder(new HistoryStore(unreachable), "history", time);
        using (recorder)
        {
            Submit(metrics, "echo", count: 2, ackMs: null);
            time.Advance(TimeSpan.FromMinutes(1));

            await recorder.WriteAsync(includeCurrent: false, CancellationToken.None);

            Assert.Equal(2, Assert.Single(recorder.Unwritten()).Submitted);
        }
    }

    [Fact]
    public async Task Query_RangeIsHalfOpen_ActionFilters_StepsSum()
    {
        (HistoryStore store, string table) = NewStore();
        var time = new FakeTimeProvider(TenPast);
        (HistoryRecorder recorder, ServerlessMetrics metrics) = NewRecorder(store, table, time);
        using (recorder)
        {
            for (int minute = 0; minute < 3; minute++)
            {
                Submit(metrics, "echo", count: 1, ackMs: null);
                Submit(metrics, "simulate", count: 1, ackMs: 5);
                time.Advance(TimeSpan.FromMinutes(1));
            }

            await recorder.WriteAsync(includeCurrent: false, CancellationToken.None);
        }

        var reader = new HistoryReader(store, recorder);
        HistoryPoint only = Assert.Single(await reader.QueryAsync(TenPast.AddMinutes(1), TenPast.AddMinutes(2), "simulate", 1, CancellationToken.None));
        HistoryPoint binned = Assert.Single(await reader.QueryAsync(TenPast, TenPast.AddMinutes(3), null, 15, CancellationToken.None));

        Assert.Equal((TenPast.AddMinutes(1), "simulate", 1L), (only.Minute, only.Action, only.Submitted));
        Assert.Equal((TenPast, 6L), (binned.Minute, binned.Submitted));
    }

    [Fact]
    public async Task Purge_DeletesHoursThatEndedBeforeTheCutOff_KeepsTheRest()
    {
        (HistoryStore store, string table) = NewStore();
        var time = new FakeTimeProvider(TenPast.AddDays(-40));
        (HistoryRecorder recorder, ServerlessMetrics metrics) = NewRecorder(store, table, time);
        using (recorder)
        {
            Submit(metrics, "echo", count: 1, ackMs: null);
            time.SetUtcNow(TenPast);
            Submit(metrics, "echo", count: 2, ackMs: null);
            time.Advance(TimeSpan.FromMinutes(1));
            await recorder.WriteAsync(includeCurrent: false, CancellationToken.None);
        }

        int deleted = await store.PurgeAsync(TenPast.AddDays(-30), CancellationToken.None);

        Assert.Equal(1, deleted);
        MinuteRollup kept = Assert.Single(await store.ReadAsync(TenPast.AddDays(-60), TenPast.AddDays(1), null, CancellationToken.None));
        Assert.Equal(2, kept.Submitted);
    }

    // The table exists, as the hosts' storage initializer makes sure at start.
    private (HistoryStore Store, string Table) NewStore()
    {
        string name = "history" + Guid.NewGuid().ToString("N")[..10];
        var table = new TableClient(azurite.ConnectionString, name);
        table.CreateIfNotExists();
        return (new HistoryStore(table), name);
    }

    private (HistoryRecorder Recorder, ServerlessMetrics Metrics) NewRecorder(HistoryStore store, string table, TimeProvider time)
    {
        ServerlessMetrics metrics = TestMetrics.Create();
        var initializer = new StorageInitializer(
            new StorageClients(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString })), [new StorageRequirement([table], [])], time,
            NullLogger<StorageInitializer>.Instance);
        var recorder = new HistoryRecorder(store, initializer, Options.Create(new HistoryOptions()), metrics, time, NullLogger<HistoryRecorder>.Instance);
        return (recorder, metrics);
    }

    private static void Submit(ServerlessMetrics metrics, string action, int count, double? ackMs)
    {
        for (int i = 0; i < count; i++)
        {
            metrics.JobsSubmitted.Add(1, new("action", action), new("mode", ackMs is null ? JobMode.Sync : JobMode.Async));
            if (ackMs is { } ack)
            {
                metrics.AckLatency.Record(ack / 1000, new KeyValuePair<string, object?>("action", action));
            }
        }
    }

    private static void Finish(ServerlessMetrics metrics, string action, string status, double durationMs, int count)
    {
        for (int i = 0; i < count; i++)
        {
            metrics.JobsFinished.Add(1, new("action", action), new("status", status));
            metrics.JobDuration.Record(durationMs / 1000, new("action", action), new("mode", JobMode.Async));
        }
    }
}
