using Microsoft.Extensions.Hosting;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// Creates <see cref="JobStatistics"/> and <see cref="PrometheusMetrics"/> when the host starts (either host), so they
/// count from then, not from the first read or scrape.
/// </summary>
internal sealed class DiagnosticsStartup(JobStatistics statistics, PrometheusMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(statistics);
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
