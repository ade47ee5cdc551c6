using Microsoft.AspNetCore.SignalR.Client;

namespace Serverless.Client;

/// <summary>
/// Reconnects at once, then backs off exponentially (capped, with jitter so many clients do not return in step)
/// and gives up after <paramref name="giveUpAfter"/>, which closes the connection and ends the watches with an error.
/// </summary>
internal sealed class ReconnectPolicy(TimeSpan giveUpAfter) : IRetryPolicy
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        if (retryContext.ElapsedTime >= giveUpAfter)
        {
            return null;
        }

        if (retryContext.PreviousRetryCount == 0)
        {
            return TimeSpan.Zero;
        }

        double seconds = Math.Min(MaxDelay.TotalSeconds, 0.25 * Math.Pow(2, retryContext.PreviousRetryCount - 1));
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        double jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(seconds * jitter);
    }
}
