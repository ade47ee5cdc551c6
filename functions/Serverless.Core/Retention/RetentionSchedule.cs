using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Retention;

/// <summary>
/// Runs <see cref="JobRetention"/> every <see cref="RetentionOptions.Interval"/> in a host that has no timer trigger
/// (the local host); the Functions app runs the same purge from its timer.
/// </summary>
internal sealed class RetentionSchedule(
    JobRetention retention, DurableTaskClient orchestrations, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await retention.PurgeAsync(orchestrations, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A storage outage fails one run; the next tick tries again, and the host keeps serving.
                Log.RunFailed(logger, ex);
            }
        }
    }
}
