using System.Collections.Concurrent;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Security;

/// <summary>
/// Counts a host's open real-time connections per owner, so one user cannot hold them all, and keeps the connections
/// gauge (<see cref="ServerlessMetrics.ActiveConnections"/>) to what it counts.
/// </summary>
internal sealed class ConnectionLimiter(ServerlessMetrics metrics)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Counts a new connection of <paramref name="ownerId"/>; false (and not counted) when it already holds <paramref name="max"/>.</summary>
    public bool TryOpen(string ownerId, int max)
    {
        while (true)
        {
            int current = _open.GetOrAdd(ownerId, 0);
            if (current >= max)
            {
                return false;
            }

            if (_open.TryUpdate(ownerId, current + 1, current))
            {
                metrics.ActiveConnections.Add(1);
                return true;
            }
        }
    }

    /// <summary>Counts a connection of <paramref name="ownerId"/> closed.</summary>
    public void Close(string ownerId)
    {
        while (_open.TryGetValue(ownerId, out int current))
        {
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(ownerId, current)) : _open.TryUpdate(ownerId, current - 1, current))
            {
                metrics.ActiveConnections.Add(-1);
                return;
            }
        }
    }
}
