using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.Api;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/stats</c>: this instance's rolling throughput, latency percentiles and failure rate (as the local host).</summary>
public sealed class StatsFunction(JobStatistics statistics)
{
    [Function(nameof(Stats))]
    public IActionResult Stats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiResponseResult(new ApiResponse(StatusCodes.Status200OK, JsonSerializer.Serialize(statistics.Snapshot(), ProtocolJson.Default.JobStatisticsSnapshot)));
    }
}
