using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Diagnostics;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/metrics</c>: this instance's metrics in the Prometheus text format (as the local host).</summary>
public sealed class MetricsFunction(PrometheusMetrics metrics)
{
    [Function(nameof(Metrics))]
    public IActionResult Metrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ContentResult { StatusCode = StatusCodes.Status200OK, Content = metrics.Render(), ContentType = "text/plain; version=0.0.4; charset=utf-8" };
    }
}
