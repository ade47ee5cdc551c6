using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Events;
using Serverless.EventStream;
using Serverless.Testing;

namespace Serverless.Core.Tests.Events;

/// <summary>The outbox shipper on a real Azurite table, one pass at a time on a fake clock: leases, watermarks, retention.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboxShipperTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset TenThirty = new(2026, 3, 2, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task TwoShippersOnOneOutbox_OnlyTheLeaseHolderShips_TheOtherTakesOverOnceTheLeaseExpires_EachEventShippedOnce()
    {
        var time = new FakeTimeProvider(TenThirty);
        TableClient table = await NewTableAsync();
        var options = Options(shipBatchSize: 1000);
        var first = new Instance(table, options, time);
        var second = new Instance(table, options, time);
        await first.Outbox.AppendAsync(0, Events("a", 10), CancellationToken.None);

        Assert.True(await first.ShipAsync());
        Assert.False(await second.ShipAsync());
        Assert.Equal(10, first.Publisher.Delivered.Count);
        Assert.Empty(second.Publisher.Delivered);
        Assert.Empty(await EventRowsAsync(table));

        // The holder stops renewing (as a dead instance would): after the 60 s lease the other takes over.
        await second.Outbox.AppendAsync(0, Events("b", 5), CancellationToken.None);
        Assert.False(await second.ShipAsync());
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await second.ShipAsync());
        Assert.False(await first.ShipAsync());

        Assert.Equal(5, second.Publisher.Delivered.Count);
        Assert.Equal(10, first.Publisher.Delivered.Count);
        string[] ids = [.. first.Publisher.Delivered.Concat(second.Publisher.Delivered).Select(e => e.Id)];
        Assert.Equal(15, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(await EventRowsAsync(table));
    }

    [Fact]
    public async Task ShipPass_WatermarkStaysOnTheOldestHourWithRows_LeavesADrainedHourOnlyAfterGrace_ShipsHoursInOrder()
    {
        var time = new FakeTimeProvider(TenThirty);
        TableClient table = await NewTableAsync();
        var shipper = new Instance(table, Options(shipBatchSize: 3, grace: TimeSpan.FromMinutes(5)), time);
        await shipper.Outbox.SetWatermarkAsync(EventOutboxShipper.ShipperWatermark, TenThirty.AddHours(-1).AddMinutes(-30), CancellationToken.None);
        await shipper.Outbox.AppendAsync(0, Events("ten", 5), CancellationToken.None);
        time.SetUtcNow(TenThirty.AddHours(2).AddMinutes(-28)); // 12:02
        await shipper.Outbox.AppendAsync(0, Events("twelve", 2), CancellationToken.None);

        Assert.True(await shipper.ShipAsync());
        Assert.Equal(Hour(10), await shipper.WatermarkAsync());
        Assert.True(await shipper.ShipAsync());
        Assert.Equal(Hour(10), await shipper.WatermarkAsync());
        Assert.True(await shipper.ShipAsync());

        // Hours 10 and 11 are drained, but a row stamped before 12:00 may still land until 12:05: stay on 11.
        Assert.Equal(Hour(11), await shipper.WatermarkAsync());
        Assert.False(await shipper.ShipAsync());
        time.SetUtcNow(Hour(12).AddMinutes(10));
        Assert.False(await shipper.ShipAsync());
        Assert.Equal(Hour(12), await shipper.WatermarkAsync());

        Assert.Equal(
            [.. Enumerable.Range(0, 5).Select(i => $"ten-{i}"), .. Enumerable.Range(0, 2).Select(i => $"twelve-{i}")],
            shipper.Publisher.Delivered.Select(e => e.Id));
        Assert.Empty(await EventRowsAsync(table));
    }

    [Fact]
    public async Task RetentionWithoutEventHubs_DeletesWholeHoursOlderThanTheRetention_KeepsNewerOnes()
    {
        var time = new FakeTimeProvider(TenThirty);
        TableClient table = await NewTableAsync();
        var options = Options(shipBatchSize: 1000);
        options.OutboxRetention = TimeSpan.FromHours(1);
        var outbox = new EventOutbox(table, options.OutboxShards, time);
        var shipper = new EventOutboxShipper(outbox, _ => Task.CompletedTask, null, options, TestMetrics.Create(), time, NullLogger<EventOutboxShipper>.Instance);
        await outbox.AppendAsync(0, Events("ten", 3), CancellationToken.None);
        time.SetUtcNow(Hour(11).AddMinutes(30));
        await outbox.AppendAsync(1, Events("eleven", 3), CancellationToken.None);
        time.SetUtcNow(Hour(12).AddMinutes(30));
        await outbox.AppendAsync(0, Events("twelve", 3), CancellationToken.None);
        time.SetUtcNow(Hour(13).AddMinutes(10));

        int passes = 0;
        while (await shipper.ApplyRetentionAsync(CancellationToken.None))
        {
            Assert.True(++passes < 100, "retention never caught up");
        }

        // Cutoff: the hour of 12:10 (now minus one hour); everything before 12:00 goes, 12:00 stays.
        List<TableEntity> left = await EventRowsAsync(table);
        Assert.Equal(["twelve-0", "twelve-1", "twelve-2"], left.Select(r => r.GetString("Id")));
        Assert.Equal(Hour(12), await outbox.GetWatermarkAsync(EventOutboxShipper.RetentionWatermark, CancellationToken.None));
    }

    private static DateTimeOffset Hour(int hour) => new(2026, 3, 2, hour, 0, 0, TimeSpan.Zero);

    private static EventStreamOptions Options(int shipBatchSize, TimeSpan? grace = null) => new()
    {
        OutboxShards = 2,
        ShipBatchSize = shipBatchSize,
        Grace = grace ?? TimeSpan.FromSeconds(30),
    };

    private static JobEventEnvelope[] Events(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => new JobEventEnvelope
    {
        Id = $"{prefix}-{i}",
        Source = "/tests",
        Type = JobEventTypes.Progress,
        Time = DateTimeOffset.UnixEpoch,
        Subject = "job-" + prefix,
        Seq = i + 1,
        Data = BinaryData.FromString("{}"),
    })];

    private async Task<TableClient> NewTableAsync()
    {
        var table = new TableClient(azurite.ConnectionString, "outbox" + Guid.NewGuid().ToString("N")[..10]);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static async Task<List<TableEntity>> EventRowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {EventOutbox.MetaPartition}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One host instance's view of the shared outbox: its own outbox client, shipper and publisher.</summary>
    private sealed class Instance(TableClient table, EventStreamOptions options, TimeProvider time)
    {
        public EventOutbox Outbox { get; } = new(table, options.OutboxShards, time);

        public ControllablePublisher Publisher { get; } = new();

        private EventOutboxShipper Shipper => field ??= new EventOutboxShipper(Outbox, _ => Task.CompletedTask, Publisher, options, TestMetrics.Create(), time, NullLogger<EventOutboxShipper>.Instance);

        public Task<bool> ShipAsync() => Shipper.ShipPassAsync(Publisher, CancellationToken.None);

        public Task<DateTimeOffset?> WatermarkAsync() => Outbox.GetWatermarkAsync(EventOutboxShipper.ShipperWatermark, CancellationToken.None);
    }
}
