using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Routing;

/// <summary>
/// Shares <see cref="ActionDurations"/> across instances: every <see cref="RouterOptions.StatisticsSyncInterval"/>
/// it merges this instance's new samples into one Table row per action (optimistic concurrency) and reads back
/// every action's merged window. Storage trouble only delays sharing; routing keeps using the local window.
/// </summary>
internal sealed class RouteStatisticsSync(
    ActionDurations durations,
    IOptions<RouterOptions> router,
    IOptions<StorageOptions> storage,
    StorageClients clients,
    StorageInitializer initializer,
    TimeProvider time,
    ILogger<RouteStatisticsSync> logger) : BackgroundService
{
    private const string Partition = "durations";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TableClient table = clients.Table(storage.Value.RouteStatisticsTable);
        using var timer = new PeriodicTimer(router.Value.StatisticsSyncInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Dictionary<string, double[]> pending = durations.TakePending();
            try
            {
                await initializer.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
                foreach ((string action, double[] samples) in pending)
                {
                    await MergeAsync(table, action, samples, stoppingToken).ConfigureAwait(false);
                }

                await foreach (TableEntity row in table.QueryAsync<TableEntity>(r => r.PartitionKey == Partition, cancellationToken: stoppingToken).ConfigureAwait(false))
                {
                    durations.Apply(row.RowKey, Parse(row.GetString("Samples")));
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure here (a timeout included) must not stop the host. Keep the samples for the next round rather than lose them.
                foreach ((string action, double[] samples) in pending)
                {
                    foreach (double sample in samples)
                    {
                        durations.Record(action, TimeSpan.FromSeconds(sample));
                    }
                }

                Log.SyncFailed(logger, ex);
            }
        }
    }

    internal async Task MergeAsync(TableClient table, string action, double[] samples, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> current = await table.GetEntityIfExistsAsync<TableEntity>(Partition, action, cancellationToken: cancellationToken).ConfigureAwait(false);
            List<double> merged = current.HasValue ? Parse(current.Value!.GetString("Samples")) : [];
            merged.AddRange(samples);
            if (merged.Count > router.Value.DurationWindow)
            {
                merged.RemoveRange(0, merged.Count - router.Value.DurationWindow);
            }

            var row = new TableEntity(Partition, action) { ["Samples"] = string.Join(',', merged.Select(s => s.ToString("0.####", CultureInfo.InvariantCulture))) };
            try
            {
                if (current.HasValue)
                {
                    await table.UpdateEntityAsync(row, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                // Another instance merged first: read its window and merge again.
            }
        }
    }

    private static List<double> Parse(string? samples) =>
        string.IsNullOrEmpty(samples) ? [] : [.. samples.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
}
