using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Serverless.Core.Diagnostics;

/// <summary>OpenTelemetry for both hosts: the job traces and metrics, exported where the configuration says.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard OTLP endpoint setting (e.g. a collector or the Aspire dashboard).</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The Application Insights connection string the Functions platform and Bicep set.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Collects <see cref="ServerlessTelemetry"/>'s spans (submit → schedule → each stage → finish, one trace per
    /// job) and metrics, and exports them over OTLP when <see cref="OtlpEndpointSetting"/> is set and to Azure
    /// Monitor when <see cref="ApplicationInsightsSetting"/> is set. With neither, no provider is registered, so
    /// spans are not even created (the local host still serves the metrics as Prometheus text).
    /// </summary>
    public static IServiceCollection AddServerlessTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? otlp = configuration[OtlpEndpointSetting];
        string? applicationInsights = configuration[ApplicationInsightsSetting];
        if (string.IsNullOrWhiteSpace(otlp) && string.IsNullOrWhiteSpace(applicationInsights))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ServerlessTelemetry.Name);
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }

                if (!string.IsNullOrWhiteSpace(applicationInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = applicationInsights);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerlessTelemetry.Name, PrometheusMetrics.RuntimeMeterName);
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }

                if (!string.IsNullOrWhiteSpace(applicationInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = applicationInsights);
                }
            });
        return services;
    }
}
