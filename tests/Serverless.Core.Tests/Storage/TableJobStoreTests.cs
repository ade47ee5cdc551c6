using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Core.Tests.Storage;

/// <summary>The Table job store on Azurite: creation all or nothing, deletion complete, paging and large values.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableJobStoreTests(AzuriteFixture azurite)
{
    private static readonly CallerIdentity Owner = new("store-user");

    [Fact]
    public async Task Submit_IndexWriteFails_AnswersUnavailable_LeavesNoStateRowNoIndexRowNoSchedule_RetrySucceeds()
    {
        await using StoreStack stack = await StoreStack.StartAsync(azurite.ConnectionString);
        stack.IndexFaults.Armed = true;

        JobMessage failed = await SubmitAsync(stack, "index-down");

        Assert.Equal(ErrorCodes.ServiceUnavailable, failed.Error?.Code);
        Assert.Equal(1, stack.IndexFaults.Failed);
        Assert.Empty(await StoreStack.RowsAsync(stack.JobsTable));
        Assert.Empty(await StoreStack.RowsAsync(stack.IndexTable));
        Assert.Empty(stack.Scheduler.Scheduled);

        stack.IndexFaults.Armed = false;
        JobMessage retried = await SubmitAsync(stack, "index-down");

        Assert.Equal(MessageTypes.Accepted, retried.Type);
        Assert.Null(retried.Duplicate);
        TableEntity index = Assert.Single(await StoreStack.RowsAsync(stack.IndexTable));
        Assert.Equal(retried.JobId, index.GetString("JobId"));
        Assert.Equal(retried.JobId, Assert.Single(stack.Scheduler.Scheduled.Keys));
    }

    [Fact]
    public async Task Submit_IndexWriteAndUndoBothFail_OrphanIsRepairedByTheNextSubmitWithTheSameRequestId()
    {
        await using StoreStack stack = await StoreStack.StartAsync(azurite.ConnectionString);
        stack.IndexFaults.Armed = true;
        stack.JobsFaults.Armed = true;

        JobMessage failed = await SubmitAsync(stack, "orphan");

        // What a crash between the two writes leaves: a queued state row that nothing lists or runs.
        Assert.Equal(ErrorCodes.ServiceUnavailable, failed.Error?.Code);
        Assert.Equal(1, stack.JobsFaults.Failed);
        TableEntity orphan = Assert.Single(await StoreStack.RowsAsync(stack.JobsTable));
        Assert.Equal(JobStatus.Queued, orphan.GetString("Status"));
        Assert.Empty(await StoreStack.RowsAsync(stack.IndexTable));
        Assert.Empty(stack.Scheduler.Scheduled);

        stack.IndexFaults.Armed = false;
        stack.JobsFaults.Armed = false;
        JobMessage repaired = await SubmitAsync(stack, "orphan");

        Assert.Equal(MessageTypes.Accepted, repaired.Type);
        Assert.Equal(true, repaired.Duplicate);
        Assert.Equal(orphan.PartitionKey, repaired.JobId);
        TableEntity index = Assert.Single(await StoreStack.RowsAsync(stack.IndexTable));
        Assert.Equal(repaired.JobId, index.GetString("JobId"));
        Assert.True(index.GetBoolean("Active"));
        Assert.Equal(repaired.JobId, Assert.Single(stack.Scheduler.Scheduled.Keys));
        Assert.Equal(1, await stack.Store.CountActiveAsync(Owner.OwnerId, 10, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_RemovesStateEventsIndexRowAndBlobsOfThatJob_AndLeavesOtherJobsWhole()
    {
        await using StoreStack stack = await StoreStack.StartAsync(azurite.ConnectionString);
        JobRecord doomed = await CreateAsync(stack, "doomed");
        JobRecord kept = await CreateAsync(stack, "kept");
        foreach (JobRecord job in new[] { doomed, kept })
        {
            // 250 events: more than one 100-row delete batch; one large event and a large result go to blobs.
            await AppendEventsAsync(stack.Store, job.JobId, 250, largeEvery: 100);
            await stack.Store.AppendAsync(Terminal(job.JobId, 251, LargeJson(40_000)), [], CancellationToken.None);
        }

        Assert.Contains(await stack.BlobNamesAsync(), name => name.StartsWith(doomed.JobId + "/", StringComparison.Ordinal));
        JobRecord stored = (await stack.Store.GetAsync(doomed.JobId, CancellationToken.None))!;

        await stack.Store.DeleteAsync(stored, CancellationToken.None);

        Assert.Empty(await StoreStack.RowsAsync(stack.JobsTable, doomed.JobId));
        Assert.DoesNotContain(await StoreStack.RowsAsync(stack.IndexTable), row => row.GetString("JobId") == doomed.JobId);
        Assert.DoesNotContain(await stack.BlobNamesAsync(), name => name.StartsWith(doomed.JobId + "/", StringComparison.Ordinal));
        Assert.Equal(251, (await StoreStack.RowsAsync(stack.JobsTable, kept.JobId)).Count);
        Assert.Contains(await StoreStack.RowsAsync(stack.IndexTable), row => row.GetString("JobId") == kept.JobId);
        Assert.Equal(3, (await stack.BlobNamesAsync()).Count(name => name.StartsWith(kept.JobId + "/", StringComparison.Ordinal)));
        Assert.Equal(250, (await stack.Store.GetEventsAsync(kept.JobId, 0, 1000, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Resume_PastTwoThousandEvents_ReturnsEverySeqOnceInOrder_FromAnyStartingSeq()
    {
        await using StoreStack stack = await StoreStack.StartAsync(azurite.ConnectionString);
        JobMessage accepted = await SubmitAsync(stack, "long-history");
        await AppendEventsAsync(stack.Store, accepted.JobId!, 2345, largeEvery: 0);

        IReadOnlyList<JobMessage> all = await stack.Router().ResumeAsync(Owner, accepted.JobId, 0, CancellationToken.None);
        IReadOnlyList<JobMessage> tail = await stack.Router().ResumeAsync(Owner, accepted.JobId, 1000, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 2345).Select(i => (long?)i), all.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1001, 1345).Select(i => (long?)i), tail.Select(m => m.Seq));
    }

    [Fact]
    public async Task ValuesOverTheInlineLimit_AreStoredInBlobs_AndReadBackWhole()
    {
        await using StoreStack stack = await StoreStack.StartAsync(azurite.ConnectionString);
        JobRecord job = await CreateAsync(stack, "large");
        string longMessage = new('m', TableJobStore.MaxInlineChars + 5_000);
        JsonElement result = LargeJson(TableJobStore.MaxInlineChars + 10_000);
        await stack.Store.AppendAsync(
            new JobUpdate { JobId = job.JobId, LastSeq = 1, UpdatedAt = job.CreatedAt },
            [new JobMessage { Type = MessageTypes.Progress, JobId = job.JobId, Seq = 1, Message = longMessage }],
            CancellationToken.None);
        await stack.Store.AppendAsync(Terminal(job.JobId, 2, result), [], CancellationToken.None);

        List<TableEntity> rows = await StoreStack.RowsAsync(stack.JobsTable, job.JobId);
        TableEntity eventRow = rows.Single(r => r.RowKey == JobKeys.EventRowKey(1));
        TableEntity stateRow = rows.Single(r => r.RowKey == JobKeys.StateRowKey);
        Assert.Null(eventRow.GetString("Message"));
        Assert.NotNull(eventRow.GetString("MessageBlob"));
        Assert.Null(stateRow.GetString("Result"));
        Assert.NotNull(stateRow.GetString("ResultBlob"));

        Assert.Equal(longMessage, Assert.Single(await stack.Store.GetEventsAsync(job.JobId, 0, 10, CancellationToken.None)).Message);
        Assert.Equal(result.GetRawText(), (await stack.Store.GetAsync(job.JobId, CancellationToken.None))!.Result!.Value.GetRawText());
    }

    private static Task<JobMessage> SubmitAsync(StoreStack stack, string requestId) =>
        stack.Router().SubmitAsync(Owner, new JobRequest { RequestId = requestId, Action = StagedTestHandler.Name }, CancellationToken.None);

    private static async Task<JobRecord> CreateAsync(StoreStack stack, string requestId)
    {
        JobMessage accepted = await SubmitAsync(stack, requestId);
        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        return (await stack.Store.GetAsync(accepted.JobId!, CancellationToken.None))!;
    }

    private static async Task AppendEventsAsync(TableJobStore store, string jobId, int count, int largeEvery)
    {
        for (int first = 1; first <= count; first += 99)
        {
            int last = Math.Min(first + 98, count);
            JobMessage[] events = [.. Enumerable.Range(first, last - first + 1).Select(seq => new JobMessage
            {
                Type = MessageTypes.Progress,
                JobId = jobId,
                Seq = seq,
                Percent = 100.0 * seq / count,
                Message = largeEvery > 0 && seq % largeEvery == 0 ? new string('x', TableJobStore.MaxInlineChars + 1) : $"step {seq}",
            })];
            await store.AppendAsync(new JobUpdate { JobId = jobId, LastSeq = last, UpdatedAt = DateTimeOffset.UnixEpoch }, events, CancellationToken.None);
        }
    }

    private static JobUpdate Terminal(string jobId, long seq, JsonElement result) => new()
    {
        JobId = jobId,
        LastSeq = seq,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Status = JobStatus.Completed,
        CompletedAt = DateTimeOffset.UnixEpoch,
        Result = result,
    };

    private static JsonElement LargeJson(int chars) =>
        JsonSerializer.SerializeToElement(new { text = new string('r', chars) });
}
