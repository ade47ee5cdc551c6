using Serverless.Core.Events;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Routing;

/// <summary>What an operator may do to any owner's jobs; the caller has checked the operator role.</summary>
internal sealed partial class JobRouter
{
    /// <summary>
    /// The owner's cooperative cancellation, asked by <paramref name="operatorCaller"/> for a job of any owner: recorded on
    /// the job (its <c>cancelled</c> message names the operator) and in the event stream. A finished job is left as it is.
    /// </summary>
    public async Task<JobMessage> CancelAsOperatorAsync(CallerIdentity operatorCaller, string? jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operatorCaller);
        try
        {
            RequestValidator.ValidateJobId(jobId);
            JobRecord job = await StorageCall.RunAsync(() => _store.GetAsync(jobId!, cancellationToken), cancellationToken).ConfigureAwait(false)
                ?? throw new JobException(JobError.NotFound());
            JobMessage reply = await RequestCancelAsync(job, operatorCaller.OwnerId, cancellationToken).ConfigureAwait(false);
            if (!JobStatus.IsTerminal(job.Status))
            {
                _events.Emit(JobEvent.OperatorControl(job.JobId, _time.GetUtcNow(), new JobEventData
                {
                    Control = "cancel",
                    Action = job.Action,
                    OperatorId = operatorCaller.OwnerId,
                }));
            }

            return reply;
        }
        catch (JobException ex)
        {
            return JobMessage.ErrorReply(null, ex.Error);
        }
    }

    /// <summary>Any owner's jobs matching <paramref name="query"/>, newest first; throws <see cref="JobException"/> when storage is away.</summary>
    public Task<(IReadOnlyList<JobRecord> Jobs, bool Complete)> QueryAsOperatorAsync(JobQuery query, CancellationToken cancellationToken) =>
        StorageCall.RunAsync(() => _store.QueryAsync(query, cancellationToken), cancellationToken);
}
