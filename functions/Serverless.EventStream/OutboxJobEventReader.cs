using System.Runtime.CompilerServices;
using System.Globalization;

namespace Serverless.EventStream;

/// <summary>
/// <see cref="IJobEventReader"/> over the outbox, for when events are not shipped to Event Hubs: polls each
/// shard's hour partitions after a per-partition cursor. Each poll re-reads <see cref="EventStreamOptions.Grace"/>
/// behind the cursor and skips rows already yielded, so a row committed late by another instance is not missed.
/// </summary>
internal sealed class OutboxJobEventReader(EventOutbox outbox, EventStreamOptions options, TimeProvider time) : IJobEventReader
{
    private const int PageSize = 1000;

    public async IAsyncEnumerable<JobEventEnvelope> ReadAsync(string? jobId, bool fromStart, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateTimeOffset start = time.GetUtcNow();
        DateTimeOffset firstBucket = EventOutbox.BucketOf(fromStart ? start - options.OutboxRetention : start - options.Grace);
        long floorTicks = fromStart ? 0 : start.UtcTicks;
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        int[] shards = jobId is null ? [.. Enumerable.Range(0, outbox.Shards)] : [outbox.ShardOf(jobId)];

        while (true)
        {
            DateTimeOffset now = time.GetUtcNow();
            bool any = false;
            for (DateTimeOffset bucket = firstBucket; bucket <= EventOutbox.BucketOf(now); bucket += EventOutbox.BucketWidth)
            {
                foreach (int shard in shards)
                {
                    string partition = EventOutbox.PartitionKeyOf(bucket, shard);
                    long from = Math.Max(floorTicks, cursors.GetValueOrDefault(partition, floorTicks) - options.Grace.Ticks);
                    string? after = from == 0 ? null : EventOutbox.RowKeyFloor(new DateTimeOffset(from, TimeSpan.Zero));
                    Dictionary<string, long> partitionSeen = Seen(seen, partition, from);
                    while (true)
                    {
                        IReadOnlyList<OutboxRow> rows = await outbox.ReadAsync(partition, after, jobId, PageSize, cancellationToken).ConfigureAwait(false);
                        foreach (OutboxRow row in rows)
                        {
                            long ticks = long.Parse(row.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture);
                            cursors[partition] = Math.Max(cursors.GetValueOrDefault(partition, floorTicks), ticks);
                            if (partitionSeen.TryAdd(row.RowKey, ticks))
                            {
                                any = true;
                                yield return row.Envelope;
                            }
                        }

                        if (rows.Count < PageSize)
                        {
                            break;
                        }

                        after = rows[^1].RowKey;
                    }
                }
            }

            // Hours no late row can land in any more are not read again.
            DateTimeOffset settled = EventOutbox.BucketOf(now - options.Grace);
            if (settled > firstBucket)
            {
                firstBucket = settled;
                floorTicks = Math.Max(floorTicks, settled.UtcTicks - options.Grace.Ticks);
                foreach (string old in cursors.Keys.Where(k => string.CompareOrdinal(k, EventOutbox.PartitionKeyOf(settled, 0)) < 0).ToList())
                {
                    cursors.Remove(old);
                    seen.Remove(old);
                }
            }

            if (!any)
            {
                await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The partition's yielded rows that a read from <paramref name="fromTicks"/> can return again; older ones are forgotten.</summary>
    private static Dictionary<string, long> Seen(Dictionary<string, Dictionary<string, long>> seen, string partition, long fromTicks)
    {
        if (!seen.TryGetValue(partition, out Dictionary<string, long>? rows))
        {
            seen[partition] = rows = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        foreach ((string rowKey, long ticks) in rows)
        {
            if (ticks < fromTicks)
            {
                rows.Remove(rowKey);
            }
        }

        return rows;
    }
}
