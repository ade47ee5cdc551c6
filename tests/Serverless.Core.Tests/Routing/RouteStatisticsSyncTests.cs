using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Routing;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Testing;

namespace Serverless.Core.Tests.Routing;

/// <summary>Two instances sharing observed durations through one Azurite table: concurrent merges lose no sample.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RouteStatisticsSyncTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ConcurrentMergesFromTwoInstances_ConflictAndRetry_AndKeepEverySample()
    {
        string tableName = "routes" + Guid.NewGuid().ToString("N")[..10];
        var table = new TableClient(azurite.ConnectionString, tableName);
        await table.CreateIfNotExistsAsync();
        RouteStatisticsSync first = Create(tableName, new ActionDurations(Router()));
        RouteStatisticsSync second = Create(tableName, new ActionDurations(Router()));

        // Both read the same row and write it back on its ETag in the same moment, round after round.
        for (int round = 0; round < 20; round++)
        {
            await Task.WhenAll(
                first.MergeAsync(table, "act", [100 + round], CancellationToken.None),
                second.MergeAsync(table, "act", [200 + round], CancellationToken.None));
        }

        double[] stored = Samples((await table.GetEntityAsync<TableEntity>("durations", "act")).Value);
        double[] expected = [.. Enumerable.Range(0, 20).SelectMany(r => new double[] { 100 + r, 200 + r })];
        Assert.Equal(expected.Order(), stored.Order());
    }

    [Fact]
    public async Task TwoRunningInstances_EachSeesTheOthersSamples()
    {
        string tableName = "routes" + Guid.NewGuid().ToString("N")[..10];
        IOptions<RouterOptions> router = Router();
        var slow = new ActionDurations(router);
        var fast = new ActionDurations(router);
        for (int i = 0; i < 10; i++)
        {
            slow.Record("act", TimeSpan.FromSeconds(3 + i / 100.0));
            fast.Record("act", TimeSpan.FromSeconds(0.5 + i / 100.0));
        }

        RouteStatisticsSync first = Create(tableName, slow);
        RouteStatisticsSync second = Create(tableName, fast);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        try
        {
            // The fast instance alone would see a p95 under 1 s; with the other's samples merged it sees about 3 s.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (fast.ObservedP95("act") is not { TotalSeconds: > 2 } || slow.ObservedP95("act") is not { } p95 || p95 != fast.ObservedP95("act"))
            {
                await Task.Delay(50, wait.Token);
            }
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
        }

        var table = new TableClient(azurite.ConnectionString, tableName);
        Assert.Equal(20, Samples((await table.GetEntityAsync<TableEntity>("durations", "act")).Value).Length);
    }

    private static IOptions<RouterOptions> Router() =>
        Options.Create(new RouterOptions { DurationWindow = 100, StatisticsSyncInterval = TimeSpan.FromMilliseconds(50) });

    private RouteStatisticsSync Create(string table, ActionDurations durations)
    {
        IOptions<StorageOptions> storage = Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, RouteStatisticsTable = table });
        var clients = new StorageClients(storage);
        var initializer = new StorageInitializer(clients, [new StorageRequirement([table], [])], TimeProvider.System, NullLogger<StorageInitializer>.Instance);
        return new(durations, Router(), storage, clients, initializer, TimeProvider.System, NullLogger<RouteStatisticsSync>.Instance);
    }

    private static double[] Samples(TableEntity row) =>
        [.. row.GetString("Samples").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
}
