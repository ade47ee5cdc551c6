using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Serverless.Core.History;

/// <summary>
/// The per-minute rollups in Table storage: one row per minute, action and host instance (PartitionKey = the hour,
/// so a time range reads whole partitions and retention deletes them).
/// </summary>
internal sealed class HistoryStore(TableClient table)
{
    private const string HourFormat = "yyyyMMddHH";

    public async Task WriteAsync(string instanceId, IEnumerable<MinuteRollup> rollups, CancellationToken cancellationToken)
    {
        foreach (IGrouping<string, MinuteRollup> hour in rollups.GroupBy(r => Hour(r.Minute)))
        {
            // One transaction per hour and at most 100 rows: a minute's rows land together or not at all.
            foreach (MinuteRollup[] chunk in hour.Chunk(100))
            {
                TableTransactionAction[] actions = [.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(instanceId, r)))];
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The stored rows of every minute in [<paramref name="from"/>, <paramref name="to"/>), optionally of one action: one per instance.</summary>
    public async Task<IReadOnlyList<MinuteRollup>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? action, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey ge {Hour(from)} and PartitionKey le {Hour(to)} and Minute ge {from} and Minute lt {to}");
        if (action is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Action eq {action}");
        }

        var rows = new List<MinuteRollup>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(FromEntity(row));
        }

        return rows;
    }

    /// <summary>Deletes every hour that ended before <paramref name="before"/>; returns the rows deleted.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey lt {Hour(before)}");
        var rows = new List<TableEntity>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (IGrouping<string, TableEntity> hour in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (TableEntity[] chunk in hour.Chunk(100))
            {
                try
                {
                    await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // Another instance purged the same hour first.
                }
            }
        }

        return rows.Count;
    }

    private static string Hour(DateTimeOffset time) => time.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(string instanceId, MinuteRollup rollup) =>
        new(Hour(rollup.Minute), $"{rollup.Minute.UtcDateTime:mm}|{Uri.EscapeDataString(rollup.Action)}|{instanceId}")
        {
            ["Minute"] = rollup.Minute,
            ["Action"] = rollup.Action,
            ["Submitted"] = rollup.Submitted,
            ["Completed"] = rollup.Completed,
            ["Failed"] = rollup.Failed,
            ["Cancelled"] = rollup.Cancelled,
            ["Durations"] = rollup.Durations.ToString(),
            ["Acks"] = rollup.Acks.ToString(),
        };

    private static MinuteRollup FromEntity(TableEntity row) =>
        new(row.GetDateTimeOffset("Minute") ?? default, row.GetString("Action") ?? string.Empty)
        {
            Submitted = row.GetInt64("Submitted") ?? 0,
            Completed = row.GetInt64("Completed") ?? 0,
            Failed = row.GetInt64("Failed") ?? 0,
            Cancelled = row.GetInt64("Cancelled") ?? 0,
            Durations = LatencyBuckets.Parse(row.GetString("Durations")),
            Acks = LatencyBuckets.Parse(row.GetString("Acks")),
        };
}
