using Serverless.Core.Storage;

namespace Serverless.Core.Routing;

/// <summary>
/// Keeps the per-user active-job limit off most submits' storage path. For each user this host remembers an upper
/// bound of their queued or running jobs: the count last read from the owner index plus the jobs this host created
/// since. Jobs only end in between, so the bound can only be high; a submit below the limit needs no count query.
/// At the limit, or once the bound is older than <see cref="Freshness"/> (jobs other hosts created), the count is
/// read again. As with a count read on every submit, concurrent submits from several hosts make it a soft limit.
/// </summary>
internal sealed class ActiveJobBounds(IJobStore store, TimeProvider time)
{
    /// <summary>How long a count read from storage stands in for the user's jobs on other hosts.</summary>
    internal static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    // Bounds the memory one host spends on users: beyond it, stale bounds are dropped.
    private const int MaxUsers = 10_000;

    private readonly Dictionary<string, Bound> _bounds = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// At least how many of the owner's jobs are queued or running, counting no further than <paramref name="atMost"/>;
    /// from memory while that stays below <paramref name="atMost"/> and fresh, else read from the store.
    /// </summary>
    public async Task<int> UpperBoundAsync(string ownerId, int atMost, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_bounds.TryGetValue(ownerId, out Bound bound) && bound.Count < atMost && time.GetElapsedTime(bound.ReadAt) < Freshness)
            {
                return bound.Count;
            }
        }

        long readAt = time.GetTimestamp();
        int count = await store.CountActiveAsync(ownerId, atMost, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_bounds.Count >= MaxUsers)
            {
                foreach (string stale in _bounds.Where(b => time.GetElapsedTime(b.Value.ReadAt) >= Freshness).Select(b => b.Key).ToList())
                {
                    _bounds.Remove(stale);
                }
            }

            if (_bounds.Count < MaxUsers || _bounds.ContainsKey(ownerId))
            {
                _bounds[ownerId] = new Bound(count, readAt);
            }
        }

        return count;
    }

    /// <summary>Counts a job this host has just created for the owner.</summary>
    public void Created(string ownerId)
    {
        lock (_gate)
        {
            if (_bounds.TryGetValue(ownerId, out Bound bound))
            {
                _bounds[ownerId] = bound with { Count = bound.Count + 1 };
            }
        }
    }

    private readonly record struct Bound(int Count, long ReadAt);
}
