using Serverless.Core.Endpoints.Http;
using Serverless.Core.History;

namespace Serverless.LocalHost.Apis;

/// <summary>Binds Core's <see cref="OperationsApi"/>: health, rolling job statistics and Prometheus metrics; and
/// Core's <see cref="HistoryApi"/>: the per-minute job history of every instance.</summary>
internal static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", async (OperationsApi operations, HttpContext http) => new ApiResult(await operations.HealthAsync(http.RequestAborted)));
        endpoints.MapGet("/api/stats", (OperationsApi operations) => new ApiResult(operations.Stats()));
        endpoints.MapGet("/api/stats/history", async (HistoryApi history, HttpRequest request) => new ApiResult(await history.QueryAsync(
            request.Query["from"], request.Query["to"], request.Query["action"], request.Query["step"], request.HttpContext.RequestAborted)));
        endpoints.MapGet("/api/metrics", (OperationsApi operations) => new ApiResult(operations.Metrics()));
        return endpoints;
    }
}
