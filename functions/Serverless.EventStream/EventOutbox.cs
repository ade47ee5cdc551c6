using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Serverless.EventStream;

/// <summary>
/// The durable outbox on Table storage. PartitionKey <c>{yyyyMMddHH}-{shard}</c>: one partition per hour and
/// shard, a job always in the same shard, so every read is a single-partition range query (no table scans) and
/// the hourly write load spreads over the shards. RowKey <c>{utcTicks:D19}{writer}</c>: time-ordered, strictly
/// increasing per writer. Rows under PartitionKey <see cref="MetaPartition"/> hold watermarks and the shipper lease.
/// </summary>
internal sealed class EventOutbox
{
    /// <summary>Sorts after every hour partition.</summary>
    public const string MetaPartition = "~meta";

    public static readonly TimeSpan BucketWidth = TimeSpan.FromHours(1);

    private readonly TableClient _table;
    private readonly int _shards;
    private readonly TimeProvider _time;

    // A random writer id makes RowKeys unique across instances that share a tick.
    private readonly string _writer = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()))[..8];
    private readonly Lock _tickGate = new();
    private long _lastTicks;

    public EventOutbox(TableClient table, int shards, TimeProvider time)
    {
        _table = table;
        _shards = shards;
        _time = time;
    }

    public int Shards => _shards;

    public int ShardOf(string jobId) => CloudEventMapping.PartitionIndex(jobId, _shards);

    public static DateTimeOffset BucketOf(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % BucketWidth.Ticks), TimeSpan.Zero);

    public static string PartitionKeyOf(DateTimeOffset bucket, int shard) =>
        string.Create(CultureInfo.InvariantCulture, $"{bucket.UtcDateTime:yyyyMMddHH}-{shard:D2}");

    /// <summary>The smallest RowKey written at or after <paramref name="time"/>.</summary>
    public static string RowKeyFloor(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes one shard's events in one entity group transaction (≤ 100). Keys are taken now, at the attempt, so a
    /// row is never committed far behind its key's time (what lets readers move on after <c>Grace</c>).
    /// </summary>
    public async Task AppendAsync(int shard, IReadOnlyList<JobEventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count is 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(events), "A transaction holds 1 to 100 rows.");
        }

        long first = NextTicks(events.Count);
        string partition = PartitionKeyOf(BucketOf(new DateTimeOffset(first, TimeSpan.Zero)), shard);
        var actions = new List<TableTransactionAction>(events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            JobEventEnvelope e = events[i];
            var row = new TableEntity(partition, (first + i).ToString("D19", CultureInfo.InvariantCulture) + _writer)
            {
                ["Id"] = e.Id,
                ["Source"] = e.Source,
                ["Type"] = e.Type,
                ["Time"] = e.Time,
                ["Subject"] = e.Subject,
                ["Seq"] = e.Seq,
                ["Data"] = e.Data.ToString(),
            };
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }

        await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A partition's rows with RowKey above <paramref name="afterRowKey"/> (all when null), in RowKey order.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ReadAsync(string partitionKey, string? afterRowKey, string? jobId, int maxCount, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {afterRowKey ?? string.Empty}");
        if (jobId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Subject eq {jobId}");
        }

        var rows = new List<OutboxRow>();
        await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new OutboxRow(entity.PartitionKey, entity.RowKey, new JobEventEnvelope
            {
                Id = entity.GetString("Id"),
                Source = entity.GetString("Source"),
                Type = entity.GetString("Type"),
                Time = entity.GetDateTimeOffset("Time") ?? default,
                Subject = entity.GetString("Subject"),
                Seq = entity.GetInt64("Seq"),
                Data = BinaryData.FromString(entity.GetString("Data")),
            }));
            if (rows.Count >= maxCount)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>Deletes rows (shipped, or past retention), 100 per transaction; already-deleted rows are fine.</summary>
    public async Task DeleteAsync(IEnumerable<OutboxRow> rows, CancellationToken cancellationToken)
    {
        foreach (IGrouping<string, OutboxRow> partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (OutboxRow[] chunk in partition.Chunk(100))
            {
                try
                {
                    await _table.SubmitTransactionAsync(
                        chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), ETag.All)),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // Another shipper got there first: delete what is left one by one.
                    foreach (OutboxRow row in chunk)
                    {
                        await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    public async Task<DateTimeOffset?> GetWatermarkAsync(string name, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await _table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetDateTimeOffset("Watermark") : null;
    }

    public Task SetWatermarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(MetaPartition, name) { ["Watermark"] = value }, TableUpdateMode.Merge, cancellationToken);

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="owner"/> (optimistic concurrency on the
    /// row's ETag), so one instance ships at a time and the stream keeps each job's order.
    /// </summary>
    public async Task<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var lease = new TableEntity(MetaPartition, name) { ["Owner"] = owner, ["Expires"] = now + duration };
        try
        {
            NullableResponse<TableEntity> current = await _table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, name, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (!current.HasValue)
            {
                await _table.AddEntityAsync(lease, cancellationToken).ConfigureAwait(false);
                return true;
            }

            TableEntity row = current.Value!;
            if (row.GetString("Owner") != owner && row.GetDateTimeOffset("Expires") > now)
            {
                return false;
            }

            await _table.UpdateEntityAsync(lease, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes every row of an hour (all shards); returns how many.</summary>
    public async Task<int> DeleteBucketAsync(DateTimeOffset bucket, CancellationToken cancellationToken)
    {
        int deleted = 0;
        for (int shard = 0; shard < _shards; shard++)
        {
            string partition = PartitionKeyOf(bucket, shard);
            while (true)
            {
                IReadOnlyList<OutboxRow> rows = await ReadAsync(partition, null, null, 1000, cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    break;
                }

                await DeleteAsync(rows, cancellationToken).ConfigureAwait(false);
                deleted += rows.Count;
            }
        }

        return deleted;
    }

    /// <summary>Reserves <paramref name="count"/> consecutive ticks at or after now, above any handed out before.</summary>
    private long NextTicks(int count)
    {
        long now = _time.GetUtcNow().UtcTicks;
        lock (_tickGate)
        {
            long first = Math.Max(now, _lastTicks + 1);
            _lastTicks = first + count - 1;
            return first;
        }
    }
}
