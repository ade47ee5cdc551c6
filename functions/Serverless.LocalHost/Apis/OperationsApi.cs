using System.Text.Json;
using Serverless.Core.Diagnostics;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.LocalHost.Apis;

/// <summary>Operator endpoints: health (each dependency green/yellow/red), rolling job statistics and Prometheus metrics.</summary>
internal static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", async (HealthService health, HttpContext http) =>
        {
            HealthReport report = await health.CheckAsync(http.RequestAborted);
            return Results.Text(
                JsonSerializer.Serialize(report, ProtocolJson.Default.HealthReport),
                "application/json",
                statusCode: report.Status == HealthStatus.Red ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        endpoints.MapGet("/api/stats", (JobStatistics statistics) =>
            Results.Text(JsonSerializer.Serialize(statistics.Snapshot(), ProtocolJson.Default.JobStatisticsSnapshot), "application/json"));
        endpoints.MapGet("/api/metrics", (PrometheusMetrics metrics) =>
            Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return endpoints;
    }
}
