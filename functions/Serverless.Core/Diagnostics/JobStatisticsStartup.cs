using Microsoft.Extensions.Hosting;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// Creates <see cref="JobStatistics"/> and <see cref="PrometheusMetrics"/> when the host starts, so they count from
/// then, not from the first read.
/// </summary>
internal sealed class JobStatisticsStartup(JobStatistics statistics, PrometheusMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(statistics);
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
