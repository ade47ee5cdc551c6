using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Endpoints.Http;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/health</c>: binds Core's <see cref="OperationsApi.HealthAsync"/>.</summary>
internal sealed class HealthFunction(OperationsApi operations)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiResponseResult(await operations.HealthAsync(request.HttpContext.RequestAborted).ConfigureAwait(false));
    }
}
