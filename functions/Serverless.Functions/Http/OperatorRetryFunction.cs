using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;
using Serverless.Functions.Durable;

namespace Serverless.Functions.Http;

/// <summary>An operator retries a failed job, the same route as the local host; Core's <see cref="OperatorRetryApi"/> does the work.</summary>
internal sealed class OperatorRetryFunction(OperatorRetryApi retry, TokenService tokens, FunctionsJobScheduler scheduler)
{
    [Function(nameof(RetryJob))]
    public async Task<IActionResult> RetryJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OperatorRetryApi.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string jobId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<Claim>? claims = await tokens.ValidateAsync(HttpRequestReader.BearerToken(request)).ConfigureAwait(false);
        scheduler.Use(durable);
        return new ApiResponseResult(await retry.RetryAsync(claims, jobId, cancellationToken).ConfigureAwait(false));
    }
}
