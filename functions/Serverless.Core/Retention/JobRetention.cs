using Azure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Retention;

/// <summary>
/// Table storage has no TTL: this deletes finished jobs older than <see cref="RetentionOptions.FinishedJobAge"/>
/// (state, events, index row and blobs) and purges their Durable Task history.
/// </summary>
internal sealed class JobRetention
{
    private static readonly OrchestrationRuntimeStatus[] FinishedStatuses =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    private readonly IJobStore _store;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRetention> _logger;

    internal JobRetention(IJobStore store, RetentionOptions options, TimeProvider time, ILogger<JobRetention> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Deletes finished jobs and orchestration instances older than the retention window.</summary>
    public async Task<RetentionResult> PurgeAsync(DurableTaskClient orchestrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orchestrations);
        DateTimeOffset cutoff = _time.GetUtcNow() - _options.FinishedJobAge;
        int jobs = await PurgeJobsAsync(cutoff, cancellationToken).ConfigureAwait(false);

        // The Azure Storage backend cannot query from DateTimeOffset.MinValue; no instance predates the Unix epoch.
        PurgeResult purged = await orchestrations.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(DateTimeOffset.UnixEpoch, cutoff, FinishedStatuses), cancellationToken).ConfigureAwait(false);
        var result = new RetentionResult(cutoff, jobs, purged.PurgedInstanceCount);
        Log.Purged(_logger, result.Jobs, result.OrchestrationInstances, cutoff);
        return result;
    }

    private async Task<int> PurgeJobsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        int deleted = 0;
        await foreach (string jobId in _store.ListEndedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false))
        {
            if (deleted >= _options.MaxJobsPerRun)
            {
                break;
            }

            try
            {
                if (await _store.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job)
                {
                    await _store.DeleteAsync(job, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
            }
            catch (RequestFailedException ex)
            {
                // One bad partition must not stop the rest; the next run tries it again.
                Log.DeleteFailed(_logger, ex, jobId);
            }
        }

        return deleted;
    }
}
