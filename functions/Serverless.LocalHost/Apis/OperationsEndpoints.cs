using Serverless.Core.Endpoints.Http;

namespace Serverless.LocalHost.Apis;

/// <summary>Binds Core's <see cref="OperationsApi"/>: health, rolling job statistics and Prometheus metrics.</summary>
internal static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", async (OperationsApi operations, HttpContext http) => new ApiResult(await operations.HealthAsync(http.RequestAborted)));
        endpoints.MapGet("/api/stats", (OperationsApi operations) => new ApiResult(operations.Stats()));
        endpoints.MapGet("/api/metrics", (OperationsApi operations) => new ApiResult(operations.Metrics()));
        return endpoints;
    }
}
