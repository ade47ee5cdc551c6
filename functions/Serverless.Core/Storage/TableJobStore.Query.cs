using Azure.Data.Tables;

namespace Serverless.Core.Storage;

/// <summary>The operators' job list on Table storage.</summary>
internal sealed partial class TableJobStore
{
    public Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> QueryAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.OwnerId is null ? ScanAllOwnersAsync(query, cancellationToken) : QueryOwnerAsync(query, query.OwnerId, cancellationToken);
    }

    /// <summary>
    /// One owner: the index partition, already newest first, narrowed to the creation-time range by RowKey, then each
    /// job's state row (one point read per index row) for the other filters.
    /// </summary>
    private async Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> QueryOwnerAsync(JobQuery query, string ownerId, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {JobKeys.OwnerKey(ownerId)}");
        if (query.To is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {JobKeys.IndexTimeKey(to)}");
        }

        if (query.From is { } from)
        {
            // '.' sorts right after the '-' that ends the time part, so every job created at 'from' is included.
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {JobKeys.IndexTimeKey(from) + "."}");
        }

        var jobs = new List<JobRecord>(query.Limit);
        int scanned = 0;
        await foreach (TableEntity row in _index.QueryAsync<TableEntity>(filter, maxPerPage: 100, select: ["JobId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (++scanned > query.MaxScan)
            {
                return (jobs, false);
            }

            JobRecord? job = await GetAsync(row.GetString("JobId"), cancellationToken).ConfigureAwait(false);
            if (job is not null && job.OwnerId == ownerId && Matches(job, query))
            {
                jobs.Add(job);
                if (jobs.Count == query.Limit)
                {
                    return (jobs, true);
                }
            }
        }

        return (jobs, true);
    }

    /// <summary>
    /// Every owner: a filtered scan of the jobs table's state rows. Table storage has no index across partitions, so the
    /// service reads every row of the table (event rows too) to answer; the filters only shrink what comes back. At most
    /// <see cref="JobQuery.MaxScan"/> matching rows are read, then sorted newest first.
    /// </summary>
    private async Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> ScanAllOwnersAsync(JobQuery query, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"RowKey eq {JobKeys.StateRowKey}");
        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        if (query.Action is { } action)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Action eq {action}");
        }

        if (query.From is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {from}");
        }

        if (query.To is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt le {to}");
        }

        var jobs = new List<JobRecord>();
        bool complete = true;
        await foreach (TableEntity row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (jobs.Count == query.MaxScan)
            {
                complete = false;
                break;
            }

            jobs.Add(await ToRecordAsync(row, cancellationToken).ConfigureAwait(false));
        }

        return ([.. jobs.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.JobId, StringComparer.Ordinal).Take(query.Limit)], complete);
    }

    private static bool Matches(JobRecord job, JobQuery query) =>
        (query.Status is null || job.Status == query.Status) && (query.Action is null || job.Action == query.Action);
}
