using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;

namespace Serverless.Functions.Http;

/// <summary>The operators' controls and job list, the same routes as the local host; Core's <see cref="OperatorApi"/> does the work.</summary>
internal sealed class OperatorFunctions(OperatorApi operators, TokenService tokens)
{
    [Function(nameof(GetOperatorControls))]
    public Task<IActionResult> GetOperatorControls(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operators/controls")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.ControlsAsync(claims, cancellationToken));

    [Function(nameof(OperatorListJobs))]
    public Task<IActionResult> OperatorListJobs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operators/jobs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.ListAsync(
            claims, request.QueryValue("user"), request.QueryValue("action"), request.QueryValue("status"), request.QueryValue("from"), request.QueryValue("to"), request.QueryValue("limit"), cancellationToken));

    [Function(nameof(OperatorCancelJob))]
    public Task<IActionResult> OperatorCancelJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operators/jobs/{jobId}/cancel")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.CancelAsync(claims, jobId, cancellationToken));

    [Function(nameof(OperatorPauseAction))]
    public Task<IActionResult> OperatorPauseAction(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operators/actions/{action}/pause")] HttpRequest request,
        string action,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.PauseAsync(claims, action, cancellationToken));

    [Function(nameof(OperatorResumeAction))]
    public Task<IActionResult> OperatorResumeAction(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operators/actions/{action}/resume")] HttpRequest request,
        string action,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.ResumeAsync(claims, action, cancellationToken));

    [Function(nameof(OperatorPushCircuit))]
    public Task<IActionResult> OperatorPushCircuit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operators/push-circuit")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WithClaimsAsync(request, claims => operators.ForcePushCircuitAsync(claims, request.Body, request.ContentLength, cancellationToken));

    private async Task<IActionResult> WithClaimsAsync(HttpRequest request, Func<IEnumerable<Claim>?, Task<ApiResponse>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<Claim>? claims = await tokens.ValidateAsync(HttpRequestReader.BearerToken(request)).ConfigureAwait(false);
        return new ApiResponseResult(await action(claims).ConfigureAwait(false));
    }
}
