using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Core.History;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/stats/history</c>: per-minute history of every instance (as the local host).</summary>
internal sealed class StatsHistoryFunction(HistoryApi history)
{
    [Function(nameof(StatsHistory))]
    public async Task<IActionResult> StatsHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats/history")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiResponseResult(await history.QueryAsync(
            request.Query["from"], request.Query["to"], request.Query["action"], request.Query["step"], request.HttpContext.RequestAborted).ConfigureAwait(false));
    }
}
