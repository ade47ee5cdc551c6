using Microsoft.Extensions.Hosting;

namespace Serverless.Core.Diagnostics;

/// <summary>Creates <see cref="JobStatistics"/> when the host starts, so it counts from then, not from the first read.</summary>
internal sealed class JobStatisticsStartup(JobStatistics statistics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(statistics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
