using Serverless.Protocol;

namespace Serverless.Client;

/// <summary>The operators' controls (<c>/api/operators/...</c>); the token must carry the <c>operator</c> role.</summary>
public sealed partial class JobClient
{
    /// <summary>Asks any owner's job to stop, as its owner's cancel does; answers its <c>status</c>.</summary>
    public Task<JobMessage> CancelAnyJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return _api.OperatorCancelAsync(jobId, cancellationToken);
    }

    /// <summary>Pauses (<paramref name="paused"/>) or resumes intake of <paramref name="action"/>; answers the controls in force.</summary>
    public Task<OperatorControlsView> SetIntakeAsync(string action, bool paused, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return _api.SetIntakeAsync(action, paused, cancellationToken);
    }

    /// <summary>Holds the push circuit <c>open</c> or <c>closed</c> for some minutes, or hands it back (<c>automatic</c>).</summary>
    public Task<OperatorControlsView> SetPushCircuitAsync(PushCircuitRequest circuit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        return _api.SetPushCircuitAsync(circuit, cancellationToken);
    }

    /// <summary>Any owner's jobs, newest first (<c>GET /api/operators/jobs</c>).</summary>
    public Task<OperatorJobList> ListAnyJobsAsync(OperatorJobFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return _api.OperatorListAsync(filter, cancellationToken);
    }
}
