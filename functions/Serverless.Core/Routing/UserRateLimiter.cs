using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Routing;

/// <summary>
/// A token bucket per user (in this host instance): <see cref="LimitsOptions.Burst"/> tokens, refilled at
/// <see cref="LimitsOptions.RequestsPerSecond"/>.
/// </summary>
public sealed class UserRateLimiter(IOptions<LimitsOptions> options, TimeProvider time)
{
    // Buckets of users idle long enough to be full again carry no state worth keeping.
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token for <paramref name="userId"/>; when none is left, says how long until one is.</summary>
    public bool TryAcquire(string userId, out TimeSpan retryAfter)
    {
        LimitsOptions limits = options.Value;
        long now = time.GetTimestamp();
        if (_buckets.Count > PruneAbove)
        {
            Prune(now, limits);
        }

        Bucket bucket = _buckets.GetOrAdd(userId, static (_, state) => new Bucket(state.Burst, state.Now), (limits.Burst, Now: now));
        lock (bucket)
        {
            double elapsed = time.GetElapsedTime(bucket.UpdatedAt, now).TotalSeconds;
            bucket.Tokens = Math.Min(limits.Burst, bucket.Tokens + elapsed * limits.RequestsPerSecond);
            bucket.UpdatedAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / limits.RequestsPerSecond);
            return false;
        }
    }

    private void Prune(long now, LimitsOptions limits)
    {
        TimeSpan refill = TimeSpan.FromSeconds(limits.Burst / limits.RequestsPerSecond);
        foreach (KeyValuePair<string, Bucket> entry in _buckets)
        {
            if (time.GetElapsedTime(entry.Value.UpdatedAt, now) > refill)
            {
                _buckets.TryRemove(entry);
            }
        }
    }

    private sealed class Bucket(double tokens, long updatedAt)
    {
        public double Tokens { get; set; } = tokens;

        public long UpdatedAt { get; set; } = updatedAt;
    }
}
