using System.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Health;

/// <summary>Runs every <see cref="IDependencyCheck"/> at once, each bounded by a timeout, and folds them into one report.</summary>
internal sealed class HealthService(IEnumerable<IDependencyCheck> checks, TimeProvider time)
{
    /// <summary>A check that has not answered by then is red; default 3 s.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        DependencyHealth[] results = await Task.WhenAll(checks.Select(check => RunAsync(check, cancellationToken))).ConfigureAwait(false);
        string status = results.Aggregate(HealthStatus.Green, (worst, r) => HealthStatus.Worst(worst, r.Status));
        return new HealthReport(status, time.GetUtcNow(), results);
    }

    private async Task<DependencyHealth> RunAsync(IDependencyCheck check, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await check.CheckAsync(timeout.Token).WaitAsync(CheckTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            string detail = ex is TimeoutException or OperationCanceledException
                ? $"no answer within {CheckTimeout.TotalSeconds:0} s"
                : ex.GetType().Name + ": " + ex.Message;
            return new DependencyHealth(check.Name, HealthStatus.Red, detail, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
