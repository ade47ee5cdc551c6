using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;
using Serverless.Functions.Durable;

namespace Serverless.Functions.Http;

/// <summary>The job HTTP API, the same routes as the local host; Core's <see cref="JobApi"/> does the work.</summary>
internal sealed class JobsFunctions(JobApi jobs, TokenService tokens, FunctionsJobScheduler scheduler)
{
    [Function(nameof(SubmitJob))]
    public async Task<IActionResult> SubmitJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "jobs")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await tokens.AuthenticateAsync(request).ConfigureAwait(false) is not { } caller)
        {
            return new ApiResponseResult(JobApi.Unauthorized());
        }

        scheduler.Use(durable);
        return new ApiResponseResult(await jobs.SubmitAsync(caller, request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false));
    }

    [Function(nameof(GetJob))]
    public Task<IActionResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "jobs/{jobId}")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken) =>
        AuthenticatedAsync(request, caller => jobs.GetAsync(caller, jobId, cancellationToken));

    [Function(nameof(GetJobEvents))]
    public Task<IActionResult> GetJobEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "jobs/{jobId}/events")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken) =>
        AuthenticatedAsync(request, caller => jobs.GetEventsAsync(caller, jobId, request.QueryValue("afterSeq"), cancellationToken));

    [Function(nameof(GetJobResult))]
    public Task<IActionResult> GetJobResult(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "jobs/{jobId}/result")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken) =>
        AuthenticatedAsync(request, caller => jobs.GetResultAsync(caller, jobId, request.QueryValue("format"), cancellationToken));

    [Function(nameof(CancelJob))]
    public Task<IActionResult> CancelJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "jobs/{jobId}/cancel")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken) =>
        AuthenticatedAsync(request, caller => jobs.CancelAsync(caller, jobId, cancellationToken));

    [Function(nameof(ListJobs))]
    public Task<IActionResult> ListJobs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "jobs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AuthenticatedAsync(request, caller => jobs.ListAsync(caller, request.QueryValue("status"), request.QueryValue("limit"), cancellationToken));

    private async Task<IActionResult> AuthenticatedAsync(HttpRequest request, Func<CallerIdentity, Task<ApiResponse>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await tokens.AuthenticateAsync(request).ConfigureAwait(false) is { } caller
            ? new ApiResponseResult(await action(caller).ConfigureAwait(false))
            : new ApiResponseResult(JobApi.Unauthorized());
    }
}
