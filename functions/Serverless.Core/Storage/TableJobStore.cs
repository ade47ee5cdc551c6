using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>
/// <see cref="IJobStore"/> on Azure Table storage: one partition per job (state row + <c>e{seq}</c> event rows)
/// and a per-owner index table. Values too large for a Table property are kept in a blob and referenced.
/// </summary>
internal sealed partial class TableJobStore : IJobStore
{
    // A string property holds at most 64 KiB (32 Ki UTF-16 chars); keep a margin.
    internal const int MaxInlineChars = 30_000;

    private readonly TableClient _jobs;
    private readonly TableClient _index;
    private readonly BlobContainerClient _blobs;
    private readonly StorageInitializer _storage;

    public TableJobStore(StorageClients clients, IOptions<StorageOptions> options, StorageInitializer storage)
        : this(
            clients.Table(options.Value.JobsTable),
            clients.Table(options.Value.UserJobsTable),
            clients.Blobs.GetBlobContainerClient(options.Value.LargeValueContainer),
            storage)
    {
    }

    internal TableJobStore(TableClient jobs, TableClient index, BlobContainerClient blobs, StorageInitializer storage)
    {
        _jobs = jobs;
        _index = index;
        _blobs = blobs;
        _storage = storage;
    }

    public async Task<JobRecord?> CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);

        // Every later write of the job goes to tables this creation made sure of.
        await _storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var state = new TableEntity(job.JobId, JobKeys.StateRowKey)
        {
            ["RequestId"] = job.RequestId,
            ["OwnerId"] = job.OwnerId,
            ["Action"] = job.Action,
            ["Priority"] = job.Priority,
            ["Status"] = job.Status,
            ["Percent"] = job.Percent,
            ["StageIndex"] = job.StageIndex,
            ["StageAttempt"] = job.StageAttempt,
            ["LastSeq"] = job.LastSeq,
            ["CancelRequested"] = false,
            ["CreatedAt"] = job.CreatedAt,
            ["UpdatedAt"] = job.UpdatedAt,
        };

        JobRecord? existing = null;
        ETag created = default;
        try
        {
            created = (await _jobs.AddEntityAsync(state, cancellationToken).ConfigureAwait(false)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            existing = await GetAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        }

        // The index row is idempotent, so a duplicate submit also repairs a create that crashed before it.
        JobRecord indexed = existing ?? job;
        var indexRow = new TableEntity(JobKeys.OwnerKey(indexed.OwnerId), JobKeys.IndexRowKey(indexed.CreatedAt, indexed.JobId))
        {
            ["JobId"] = indexed.JobId,
            ["Active"] = !JobStatus.IsTerminal(indexed.Status),
        };
        try
        {
            await _index.UpsertEntityAsync(indexRow, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (existing is null)
        {
            // All or nothing: a state row that no index lists and no orchestration runs must not stay behind.
            // If this undo fails too, the next submit with the same requestId finds the queued row, writes the
            // index row and schedules the job.
            await UndoCreateAsync(job.JobId, created).ConfigureAwait(false);
            throw;
        }

        return existing;
    }

    public async Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> response = await _jobs
            .GetEntityIfExistsAsync<TableEntity>(jobId, JobKeys.StateRowKey, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? await ToRecordAsync(response.Value!, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task AppendAsync(JobUpdate update, IReadOnlyList<JobMessage> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(events), "A transaction holds the state row and at most 99 events.");
        }

        var state = new TableEntity(update.JobId, JobKeys.StateRowKey)
        {
            ["LastSeq"] = update.LastSeq,
            ["UpdatedAt"] = update.UpdatedAt,
        };
        SetIfPresent(state, "Status", update.Status);
        SetIfPresent(state, "Percent", update.Percent);
        SetIfPresent(state, "Stage", update.Stage);
        SetIfPresent(state, "Metadata", update.Metadata?.GetRawText());
        SetIfPresent(state, "StageIndex", update.StageIndex);
        SetIfPresent(state, "StageAttempt", update.StageAttempt);
        SetIfPresent(state, "CompletedAt", update.CompletedAt);
        if (update.Result is { } result)
        {
            await SetLargeAsync(state, "Result", update.JobId, result.GetRawText(), cancellationToken).ConfigureAwait(false);
        }

        if (update.Error is { } error)
        {
            state["Error"] = JsonSerializer.Serialize(error, ProtocolJson.Default.JobError);
        }

        var actions = new List<TableTransactionAction>(events.Count + 1)
        {
            new(TableTransactionActionType.UpdateMerge, state, ETag.All),
        };
        foreach (JobMessage message in events)
        {
            long seq = message.Seq ?? throw new ArgumentException("Every persisted event needs a seq.", nameof(events));
            var row = new TableEntity(update.JobId, JobKeys.EventRowKey(seq))
            {
                ["Seq"] = seq,
                ["Type"] = message.Type,
            };
            await SetLargeAsync(row, "Message", update.JobId, JsonSerializer.Serialize(message, ProtocolJson.Default.JobMessage), cancellationToken)
                .ConfigureAwait(false);

            // Add, not upsert: a seq that already exists fails the whole transaction.
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }

        if (update.Output is { } output)
        {
            // Replace: a stage re-run after a crash keeps its latest output.
            var row = new TableEntity(update.JobId, JobKeys.StageOutputRowKey(output.StageIndex));
            await SetLargeAsync(row, "Output", update.JobId, output.Json, cancellationToken).ConfigureAwait(false);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
        }

        await _jobs.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetStageOutputAsync(string jobId, int stageIndex, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> response = await _jobs
            .GetEntityIfExistsAsync<TableEntity>(jobId, JobKeys.StageOutputRowKey(stageIndex), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? await GetLargeAsync(response.Value!, "Output", cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<bool> BeginRetryAsync(JobRecord failed, JobMessage started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(started);
        long seq = started.Seq ?? throw new ArgumentException("The retry's message needs a seq.", nameof(started));
        NullableResponse<TableEntity> current = await _jobs
            .GetEntityIfExistsAsync<TableEntity>(failed.JobId, JobKeys.StateRowKey, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (!current.HasValue
            || current.Value!.GetString("Status") != JobStatus.Failed
            || (current.Value.GetInt32("Retries") ?? 0) != failed.Retries
            || (current.Value.GetInt64("LastSeq") ?? 0) != seq - 1)
        {
            return false;
        }

        // Replace, not merge: the failure's error and end time must go, and a merge cannot remove a property.
        TableEntity state = current.Value;
        foreach (string ended in (string[])["Error", "CompletedAt", "Result", "ResultBlob"])
        {
            state.Remove(ended);
        }

        state["Status"] = JobStatus.Queued;
        state["Retries"] = failed.Retries + 1;
        state["LastSeq"] = seq;
        state["UpdatedAt"] = started.At ?? failed.UpdatedAt;
        state["CancelRequested"] = false;
        var row = new TableEntity(failed.JobId, JobKeys.EventRowKey(seq)) { ["Seq"] = seq, ["Type"] = started.Type };
        await SetLargeAsync(row, "Message", failed.JobId, JsonSerializer.Serialize(started, ProtocolJson.Default.JobMessage), cancellationToken).ConfigureAwait(false);
        try
        {
            // Conditional on the row as read: of two concurrent retries, one commits and the other finds the ETag changed.
            await _jobs.SubmitTransactionAsync(
                [new(TableTransactionActionType.UpdateReplace, state, state.ETag), new(TableTransactionActionType.Add, row)],
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409)
        {
            return false;
        }

        var indexRow = new TableEntity(JobKeys.OwnerKey(failed.OwnerId), JobKeys.IndexRowKey(failed.CreatedAt, failed.JobId))
        {
            ["JobId"] = failed.JobId,
            ["Active"] = true,
        };
        await _index.UpsertEntityAsync(indexRow, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<JobMessage>> GetEventsAsync(string jobId, long afterSeq, int maxCount, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {jobId} and RowKey gt {JobKeys.EventRowKey(Math.Max(afterSeq, 0))} and RowKey lt {"f"}");
        var messages = new List<JobMessage>();
        await foreach (TableEntity row in _jobs.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            string json = await GetLargeAsync(row, "Message", cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Event {row.RowKey} of job {jobId} has no message.");
            messages.Add(JsonSerializer.Deserialize(json, ProtocolJson.Default.JobMessage)!);
            if (messages.Count >= maxCount)
            {
                break;
            }
        }

        return messages;
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(string ownerId, string? status, int limit, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {JobKeys.OwnerKey(ownerId)}");
        var records = new List<JobRecord>(limit);
        await foreach (TableEntity row in _index.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            JobRecord? record = await GetAsync(row.GetString("JobId"), cancellationToken).ConfigureAwait(false);
            if (record is not null && record.OwnerId == ownerId && (status is null || record.Status == status))
            {
                records.Add(record);
                if (records.Count >= limit)
                {
                    break;
                }
            }
        }

        return records;
    }

    public async Task<int> CountActiveAsync(string ownerId, int atMost, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {JobKeys.OwnerKey(ownerId)} and Active eq {true}");
        int count = 0;
        await foreach (TableEntity _ in _index.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(atMost, 1000), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (++count >= atMost)
            {
                break;
            }
        }

        return count;
    }

    public Task MarkEndedAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var row = new TableEntity(JobKeys.OwnerKey(job.OwnerId), JobKeys.IndexRowKey(job.CreatedAt, job.JobId))
        {
            ["JobId"] = job.JobId,
            ["Active"] = false,
        };
        return _index.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    public Task RequestCancelAsync(string jobId, string? operatorId, CancellationToken cancellationToken)
    {
        var row = new TableEntity(jobId, JobKeys.StateRowKey) { ["CancelRequested"] = true };
        if (operatorId is not null)
        {
            row["CancelledBy"] = operatorId;
        }

        return _jobs.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListEndedBeforeAsync(
        DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Only terminal jobs have CompletedAt, so running jobs never match however old they are.
        string filter = TableClient.CreateQueryFilter($"RowKey eq {JobKeys.StateRowKey} and CompletedAt lt {cutoff}");
        await foreach (TableEntity row in _jobs.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return row.PartitionKey;
        }
    }

    public async Task DeleteAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {job.JobId}");
        var batch = new List<TableTransactionAction>(100);
        await foreach (TableEntity row in _jobs.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == 100)
            {
                await _jobs.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await _jobs.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        await _index.DeleteEntityAsync(JobKeys.OwnerKey(job.OwnerId), JobKeys.IndexRowKey(job.CreatedAt, job.JobId), ETag.All, cancellationToken)
            .ConfigureAwait(false);
        await foreach (var blob in _blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, job.JobId + "/", cancellationToken).ConfigureAwait(false))
        {
            await _blobs.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UndoCreateAsync(string jobId, ETag created)
    {
        try
        {
            // Only the row this call inserted: a row someone has since changed is theirs now.
            await _jobs.DeleteEntityAsync(jobId, JobKeys.StateRowKey, created, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception undoError) when (StorageCall.IsOutage(undoError, CancellationToken.None))
        {
            // Left for the repair on the next submit (see CreateAsync).
        }
    }

    private async Task<JobRecord> ToRecordAsync(TableEntity row, CancellationToken cancellationToken)
    {
        string? result = await GetLargeAsync(row, "Result", cancellationToken).ConfigureAwait(false);
        string? error = row.GetString("Error");
        return new JobRecord
        {
            JobId = row.PartitionKey,
            RequestId = row.GetString("RequestId"),
            OwnerId = row.GetString("OwnerId"),
            Action = row.GetString("Action"),
            Priority = row.GetString("Priority") ?? JobPriority.Normal,
            Status = row.GetString("Status"),
            Percent = row.GetDouble("Percent") ?? 0,
            Stage = row.GetString("Stage"),
            Metadata = row.GetString("Metadata") is { } metadata ? JsonDocument.Parse(metadata).RootElement.Clone() : null,
            StageIndex = row.GetInt32("StageIndex") ?? -1,
            StageAttempt = row.GetInt32("StageAttempt") ?? 0,
            LastSeq = row.GetInt64("LastSeq") ?? 0,
            CancelRequested = row.GetBoolean("CancelRequested") ?? false,
            CancelledBy = row.GetString("CancelledBy"),
            Retries = row.GetInt32("Retries") ?? 0,
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
            CompletedAt = row.GetDateTimeOffset("CompletedAt"),
            Result = result is null ? null : JsonDocument.Parse(result).RootElement.Clone(),
            Error = error is null ? null : JsonSerializer.Deserialize(error, ProtocolJson.Default.JobError),
        };
    }

    private async Task SetLargeAsync(TableEntity row, string property, string jobId, string value, CancellationToken cancellationToken)
    {
        if (value.Length <= MaxInlineChars)
        {
            row[property] = value;
            return;
        }

        string blobName = string.Create(CultureInfo.InvariantCulture, $"{jobId}/{row.RowKey}-{property}.json");
        await _blobs.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(value), overwrite: true, cancellationToken).ConfigureAwait(false);
        row[property + "Blob"] = blobName;
    }

    private async Task<string?> GetLargeAsync(TableEntity row, string property, CancellationToken cancellationToken)
    {
        if (row.GetString(property) is { } inline)
        {
            return inline;
        }

        if (row.GetString(property + "Blob") is not { } blobName)
        {
            return null;
        }

        var content = await _blobs.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToString();
    }

    private static void SetIfPresent<T>(TableEntity row, string property, T? value)
    {
        if (value is not null)
        {
            row[property] = value;
        }
    }
}
