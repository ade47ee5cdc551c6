using System.Security.Claims;
using System.Text.Json;
using Serverless.Core.Jobs;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary><c>POST /api/operators/jobs/{id}/retry</c> in both hosts: an operator retries a failed job from its failed stage (<see cref="JobRetrier"/>).</summary>
internal sealed class OperatorRetryApi(JobRetrier retrier)
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "operators/jobs/{jobId}/retry";

    /// <summary>
    /// 202 with the job's <c>status</c> (queued again); 401 / 403 for a caller who is not an operator; 404 for an unknown
    /// job; 400 VALIDATION_ERROR for a job that is not failed (nothing changes); 503 when storage or the backend is away.
    /// </summary>
    /// <param name="validatedClaims">The claims of the caller's validated token; null when it had none or an invalid one.</param>
    /// <param name="jobId">The failed job to retry, from its failed stage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ApiResponse> RetryAsync(IEnumerable<Claim>? validatedClaims, string jobId, CancellationToken cancellationToken)
    {
        if (!OperatorAuthorization.TryAuthorize(validatedClaims, "Retrying a job", out var caller, out ApiResponse? refusal))
        {
            return refusal;
        }

        try
        {
            JobMessage status = await retrier.RetryAsync(caller.OwnerId, jobId, cancellationToken).ConfigureAwait(false);
            return new ApiResponse(202, JsonSerializer.Serialize(status, ProtocolJson.Default.JobMessage));
        }
        catch (JobException ex)
        {
            return JobApi.Error(ex.Error);
        }
    }
}
