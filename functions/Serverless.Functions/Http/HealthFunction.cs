using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Api;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/health</c>: each dependency green/yellow/red (the same report as the local host); 503 when one is red.</summary>
public sealed class HealthFunction(HealthService health)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        HealthReport report = await health.CheckAsync(request.HttpContext.RequestAborted);
        int status = report.Status == HealthStatus.Red ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return new ApiResponseResult(new ApiResponse(status, JsonSerializer.Serialize(report, ProtocolJson.Default.HealthReport)));
    }
}
