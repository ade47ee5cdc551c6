using System.Collections.Concurrent;

namespace Serverless.Core.Security;

/// <summary>Counts a host's open real-time connections per owner, so one user cannot hold them all.</summary>
internal sealed class ConnectionLimiter
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
                return;
            }
        }
    }

    /// <summary>The connections <paramref name="ownerId"/> holds now.</summary>
    public int OpenCount(string ownerId) => _open.GetValueOrDefault(ownerId);
}
