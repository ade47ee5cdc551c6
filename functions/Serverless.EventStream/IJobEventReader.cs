namespace Serverless.EventStream;

/// <summary>Reads the event stream (Event Hubs when configured, else the outbox): the hook for tail tools and dashboards.</summary>
public interface IJobEventReader
{
    /// <summary>
    /// Yields events as they arrive until cancelled: only new ones, or from the oldest retained with
    /// <paramref name="fromStart"/>; only one job's with <paramref name="jobId"/>. At least once: deduplicate on
    /// <see cref="JobEventEnvelope.Id"/>.
    /// </summary>
    IAsyncEnumerable<JobEventEnvelope> ReadAsync(string? jobId, bool fromStart, CancellationToken cancellationToken);
}
