using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Core.Retention;

namespace Serverless.Functions.Retention;

/// <summary>Deletes finished jobs older than <c>Retention:FinishedJobAge</c>, with their orchestration history.</summary>
internal sealed class PurgeFinishedJobsFunction(JobRetention retention)
{
    // Hourly, off the hour: retention is coarse, and a run must not compete with the top-of-hour load.
    private const string Schedule = "0 17 * * * *";

    [Function(nameof(PurgeFinishedJobs))]
    public Task PurgeFinishedJobs(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        retention.PurgeAsync(durable, cancellationToken);
}
