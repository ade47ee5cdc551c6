using System.Text.Json;
using Serverless.Core.Diagnostics;
using Serverless.Core.Health;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary>The operators' HTTP endpoints of both hosts: health (each dependency green/yellow/red), rolling job statistics and Prometheus metrics.</summary>
internal sealed class OperationsApi(HealthService health, JobStatistics statistics, PrometheusMetrics metrics)
{
    /// <summary>The Prometheus text exposition format.</summary>
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary><c>GET /api/health</c>: 200, or 503 when a dependency is red.</summary>
    public async Task<ApiResponse> HealthAsync(CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
        return new ApiResponse(report.Status == HealthStatus.Red ? 503 : 200, JsonSerializer.Serialize(report, ProtocolJson.Default.HealthReport));
    }

    /// <summary><c>GET /api/stats</c>: this instance's rolling throughput, latency percentiles and failure rate.</summary>
    public ApiResponse Stats() => new(200, JsonSerializer.Serialize(statistics.Snapshot(), ProtocolJson.Default.JobStatisticsSnapshot));

    /// <summary><c>GET /api/metrics</c>: this instance's instruments for a Prometheus scrape.</summary>
    public ApiResponse Metrics() => new(200, metrics.Render(), ContentType: MetricsContentType);
}
