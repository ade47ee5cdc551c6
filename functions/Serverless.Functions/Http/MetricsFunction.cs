using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Endpoints.Http;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/metrics</c>: binds Core's <see cref="OperationsApi.Metrics"/>.</summary>
internal sealed class MetricsFunction(OperationsApi operations)
{
    [Function(nameof(Metrics))]
    public IActionResult Metrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiResponseResult(operations.Metrics());
    }
}
