using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Routing;

/// <summary>
/// A token bucket per user (in this host instance): <see cref="LimitsOptions.Burst"/> tokens, refilled at
/// <see cref="LimitsOptions.RequestsPerSecond"/>.
/// </summary>
internal sealed class UserRateLimiter(IOptions<LimitsOptions> options, TimeProvider time)
{
    // Buckets of users idle long enough to be full again carry no state worth keeping.
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    // Reads have buckets of their own; the key cannot collide with an owner id, which has no line feed.
    private const string ReadPrefix = "read\n";

    /// <summary>Takes a submit token for <paramref name="userId"/>; when none is left, says how long until one is.</summary>
    public bool TryAcquire(string userId, out TimeSpan retryAfter) =>
        TryAcquire(userId, options.Value.RequestsPerSecond, options.Value.Burst, out retryAfter);

    /// <summary>Takes a read token (<see cref="LimitsOptions.ReadsPerSecond"/>, <see cref="LimitsOptions.ReadBurst"/>) for <paramref name="userId"/>.</summary>
    public bool TryAcquireRead(string userId, out TimeSpan retryAfter) =>
        TryAcquire(ReadPrefix + userId, options.Value.ReadsPerSecond, options.Value.ReadBurst, out retryAfter);

    private bool TryAcquire(string key, double rate, int burst, out TimeSpan retryAfter)
    {
        LimitsOptions limits = options.Value;
        long now = time.GetTimestamp();
        if (_buckets.Count > PruneAbove)
        {
            Prune(now, limits);
        }

        Bucket bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: burst, Now: now));
        lock (bucket)
        {
            double elapsed = time.GetElapsedTime(bucket.UpdatedAt, now).TotalSeconds;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + elapsed * rate);
            bucket.UpdatedAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / rate);
            return false;
        }
    }

    private void Prune(long now, LimitsOptions limits)
    {
        TimeSpan refill = TimeSpan.FromSeconds(Math.Max(limits.Burst / limits.RequestsPerSecond, limits.ReadBurst / limits.ReadsPerSecond));
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
