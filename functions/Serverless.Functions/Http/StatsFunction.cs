using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Endpoints.Http;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/stats</c>: binds Core's <see cref="OperationsApi.Stats"/>.</summary>
internal sealed class StatsFunction(OperationsApi operations)
{
    [Function(nameof(Stats))]
    public IActionResult Stats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiResponseResult(operations.Stats());
    }
}
